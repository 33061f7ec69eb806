using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class OrderBuilderTests
{
    private static readonly ImmutableDictionary<string, string> NoPlanNadKeys = ImmutableDictionary<string, string>.Empty;

    private static CompanyManifest NewCompany() =>
        Manifest(Site("hq", User("u01", extension: "2001", macs: ["0004F2AABB02", "0004F2AABB01"]), User("u02", block: null, extension: "2002")));

    /// <summary>State of a new company after qualify and ringfence: a record with a qualification, ringfenced numbers, nothing else.</summary>
    private static CompanyState QualifiedAndRingfenced(CompanyManifest manifest) =>
        CompanyState.New(Key, "lineage-1") with
        {
            Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", "CO-0001", new QualificationRecord("Q-1", Now.AddHours(8), false), false),
            NumberBlocks = [new NumberBlockState("main", "0121", 10, [new NumberRangeState(Number(0), Number(9), false, null)])],
        };

    private static ImmutableArray<OrderOperation> AddEverything() =>
    [
        new(ResourceAddress.ForCompany(Key), OrderOperationKind.Add),
        new(BlockAddress(), OrderOperationKind.Add),
        new(SiteAddress("hq"), OrderOperationKind.Add),
        new(UserAddress("u01"), OrderOperationKind.Add),
        new(UserAddress("u02"), OrderOperationKind.Add),
    ];

    [Fact]
    public void Should_build_a_new_company_order_as_a_company_add_with_its_qualification_and_characteristics()
    {
        // Given a qualified and ringfenced new company
        var manifest = NewCompany();

        // When its first order is built
        var order = OrderBuilder.Build("ext-1", manifest, QualifiedAndRingfenced(manifest), AddEverything(), NoPlanNadKeys);

        // Then the root adds WHCCompany with the qualification id and the company's characteristics, charged to the reseller
        order.ExternalId.Should().Be("ext-1");
        order.CugId.Should().Be("CUG-1");
        order.BillingAccount.Should().Be("BA-1");
        order.Root.ProductOffering.Should().Be(WhcProducts.Company);
        order.Root.Action.Should().Be(OrderItemAction.Add);
        order.Root.QualificationId.Should().Be("Q-1");
        order.Root.Characteristics.Should().Contain("customerName", "Acme Ltd")
            .And.Contain("customerDomain", "acme.example")
            .And.Contain("customerGroup", "retail")
            .And.Contain("adminEmail", "ann@acme.example")
            .And.NotContainKey("adminPhone");
    }

    [Fact]
    public void Should_add_each_ringfenced_range_as_a_new_number_item()
    {
        // Given a new company with one ringfenced range
        var manifest = NewCompany();

        // When its first order is built
        var order = OrderBuilder.Build("ext-1", manifest, QualifiedAndRingfenced(manifest), AddEverything(), NoPlanNadKeys);

        // Then one WHCNewnumber item adds the range
        var number = order.Root.Children.Should().ContainSingle(c => c.ProductOffering == WhcProducts.NewNumber).Subject;
        number.Action.Should().Be(OrderItemAction.Add);
        number.Characteristics.Should().Equal(new Dictionary<string, string> { ["endNumber"] = Number(9), ["startNumber"] = Number(0) });
    }

    [Fact]
    public void Should_add_a_site_at_its_NAD_key_with_its_users_below_it()
    {
        // Given a new company whose site has a NAD key in the manifest
        var manifest = NewCompany();

        // When its first order is built
        var order = OrderBuilder.Build("ext-1", manifest, QualifiedAndRingfenced(manifest), AddEverything(), NoPlanNadKeys);

        // Then WHCSite is added at the NAD key, with the users as its children
        var site = order.Root.Children.Should().ContainSingle(c => c.ProductOffering == WhcProducts.Site).Subject;
        site.Action.Should().Be(OrderItemAction.Add);
        site.PlaceId.Should().Be(manifest.Sites[0].Address.NadKey);
        site.Characteristics.Should().Contain("siteName", "hq").And.Contain("siteLocationCode", "LOC-hq");
        site.Children.Should().HaveCount(2).And.OnlyContain(u => u.ProductOffering == WhcProducts.User && u.Action == OrderItemAction.Add);
    }

    [Fact]
    public void Should_add_a_user_with_its_directory_number_and_its_MACs_comma_joined()
    {
        // Given a new company whose user u01 draws a number and has two devices, and u02 has no number
        var manifest = NewCompany();

        // When its first order is built
        var order = OrderBuilder.Build("ext-1", manifest, QualifiedAndRingfenced(manifest), AddEverything(), NoPlanNadKeys);

        // Then u01 gets the first number and its MACs sorted and comma-joined; u02 has neither characteristic
        var users = order.Root.Children.Single(c => c.ProductOffering == WhcProducts.Site).Children;
        var u01 = users.Single(u => u.Characteristics["username"] == "u01");
        u01.Characteristics.Should().Contain("directoryNumber", Number(0))
            .And.Contain("macAddress", "0004F2AABB01,0004F2AABB02")
            .And.Contain("extension", "2001")
            .And.Contain("licence", "standard");
        users.Single(u => u.Characteristics["username"] == "u02").Characteristics.Should().NotContainKeys("directoryNumber", "macAddress");
    }

    [Fact]
    public void Should_take_a_sites_NAD_key_from_the_plan_when_the_manifest_gives_only_a_postcode()
    {
        // Given a postcode site whose address the plan resolved
        var manifest = Manifest(SiteAtPostcode("hq", "B1 1AA", "Unit 9"));
        var operations = ImmutableArray.Create(new OrderOperation(ResourceAddress.ForCompany(Key), OrderOperationKind.Add), new OrderOperation(SiteAddress("hq"), OrderOperationKind.Add));

        // When the order is built with the plan's NAD keys
        var order = OrderBuilder.Build("ext-1", manifest, QualifiedAndRingfenced(manifest), operations, NoPlanNadKeys.Add("hq", "A55555555"));

        // Then the site is placed at that NAD key
        order.Root.Children.Single().PlaceId.Should().Be("A55555555");
    }

    [Fact]
    public void Should_build_a_change_order_from_the_company_through_its_site_to_the_users_by_service_id()
    {
        // Given an applied company where u01 is modified and u02 ceased
        var manifest = Simple(users: 2);
        var state = Applied(manifest);
        var desired = Manifest(Site("hq", manifest.Sites[0].Users[0] with { LastName = "New" }));
        ImmutableArray<OrderOperation> operations = [new(UserAddress("u01"), OrderOperationKind.Modify), new(UserAddress("u02"), OrderOperationKind.Cease)];

        // When the order is built
        var order = OrderBuilder.Build("ext-2", desired, state, operations, NoPlanNadKeys);

        // Then company and site are "noChange" by service id, and the users are modified and deleted by service id
        order.Root.Action.Should().Be(OrderItemAction.NoChange);
        order.Root.ServiceId.Should().Be(CompanyServiceId);
        order.Root.QualificationId.Should().BeNull();
        var site = order.Root.Children.Should().ContainSingle().Subject;
        site.Action.Should().Be(OrderItemAction.NoChange);
        site.ServiceId.Should().Be("SI-hq");
        site.Children.Select(u => (u.Action, u.ServiceId)).Should().BeEquivalentTo([(OrderItemAction.Modify, "US-u01"), (OrderItemAction.Delete, "US-u02")]);
        site.Children.Single(u => u.Action == OrderItemAction.Modify).Characteristics.Should().Contain("lastName", "New");
        site.Children.Single(u => u.Action == OrderItemAction.Modify).Characteristics.Should().Contain("directoryNumber", Number(0));
    }

    [Fact]
    public void Should_clear_a_number_and_phones_a_modified_user_no_longer_has_but_leave_them_out_of_an_add()
    {
        // Given an applied company whose u01 is to have neither a number nor a phone any more
        var manifest = Simple(users: 1);
        var state = Applied(manifest);
        var desired = Manifest(Site("hq", manifest.Sites[0].Users[0] with { Number = null, Devices = [] }));

        // When its modify order is built, and an add of such a user for comparison
        var modify = OrderBuilder.Build("ext-5", desired, state, [new OrderOperation(UserAddress("u01"), OrderOperationKind.Modify)], NoPlanNadKeys);
        var add = OrderBuilder.Build("ext-6", NewCompany(), QualifiedAndRingfenced(NewCompany()), AddEverything(), NoPlanNadKeys);

        // Then the modify sends both empty (a modify changes only what it carries); the add leaves them out
        modify.Root.Children.Single().Children.Single().Characteristics.Should().Contain("directoryNumber", string.Empty).And.Contain("macAddress", string.Empty);
        var extensionOnly = add.Root.Children.Single(c => c.ProductOffering == WhcProducts.Site).Children.Single(u => u.Characteristics["username"] == "u02");
        extensionOnly.Characteristics.Should().NotContainKey("directoryNumber").And.NotContainKey("macAddress");
    }

    [Fact]
    public void Should_cease_a_company_with_a_delete_of_its_service_id()
    {
        // Given an applied company
        var manifest = Simple();
        var state = Applied(manifest);

        // When a cease-company order is built
        var order = OrderBuilder.Build("ext-3", manifest, state, [new OrderOperation(ResourceAddress.ForCompany(Key), OrderOperationKind.Cease)], NoPlanNadKeys);

        // Then the root deletes the company by its service id
        order.Root.Action.Should().Be(OrderItemAction.Delete);
        order.Root.ServiceId.Should().Be(CompanyServiceId);
        order.Root.Children.Should().BeEmpty();
    }

    [Fact]
    public void Should_throw_a_clear_OrderBuildException_when_a_users_service_id_is_not_known()
    {
        // Given state has lost u01's service id
        var manifest = Simple(users: 1);
        var state = Applied(manifest);
        state = state with { Users = [state.Users[0] with { ServiceId = null }] };

        // When a modify order for u01 is built
        var build = () => OrderBuilder.Build("ext-4", manifest, state, [new OrderOperation(UserAddress("u01"), OrderOperationKind.Modify)], NoPlanNadKeys);

        // Then the exception says which id is missing
        build.Should().Throw<OrderBuildException>().WithMessage("service id of user 'u01' is not known yet");
    }

    [Fact]
    public void Should_throw_a_clear_OrderBuildException_when_a_site_has_no_NAD_key_yet()
    {
        // Given a postcode site whose address has not been resolved
        var manifest = Manifest(SiteAtPostcode("hq", "B1 1AA", "Unit 9"));

        // When its add order is built
        var build = () => OrderBuilder.Build("ext-5", manifest, QualifiedAndRingfenced(manifest), [new OrderOperation(SiteAddress("hq"), OrderOperationKind.Add)], NoPlanNadKeys);

        // Then the exception names the site
        build.Should().Throw<OrderBuildException>().WithMessage("site 'hq' has no address (NAD key) yet");
    }

    [Fact]
    public void Should_throw_a_clear_OrderBuildException_when_the_company_has_no_record()
    {
        // Given an empty state
        var build = () => OrderBuilder.Build("ext-6", Simple(), CompanyState.New(Key, "l"), [], NoPlanNadKeys);

        // When the order is built, then it says the company must be qualified first
        build.Should().Throw<OrderBuildException>().WithMessage("*qualified first*");
    }

    [Fact]
    public void Should_send_extra_characteristics_only_in_the_items_that_create_their_resources()
    {
        // Given a company, block, site and user with extra characteristics
        var plain = NewCompany();
        var site = plain.Sites[0];
        var extra = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("x.custom", "1")]);
        var manifest = plain with
        {
            Company = plain.Company with { Characteristics = extra },
            NumberBlocks = [plain.NumberBlocks[0] with { Characteristics = extra }],
            Sites = [site with { Characteristics = extra, Users = [site.Users[0] with { Characteristics = extra }, site.Users[1]] }],
        };

        // When the first order is built, and a later one that changes the user
        var order = OrderBuilder.Build("ext-1", manifest, QualifiedAndRingfenced(manifest), AddEverything(), NoPlanNadKeys);
        var applied = Applied(manifest);
        var modify = OrderBuilder.Build("ext-2", manifest, applied, [new OrderOperation(UserAddress("u01"), OrderOperationKind.Modify)], NoPlanNadKeys);

        // Then every creating item carries them next to whcctl's own, and the modify does not
        order.Root.Characteristics.Should().Contain("x.custom", "1").And.ContainKey("customerName");
        order.Root.Children.Single(c => c.ProductOffering == WhcProducts.NewNumber).Characteristics.Should().Contain("x.custom", "1").And.ContainKey("startNumber");
        var newSite = order.Root.Children.Single(c => c.ProductOffering == WhcProducts.Site);
        newSite.Characteristics.Should().Contain("x.custom", "1");
        newSite.Children.Single(u => u.Characteristics.GetValueOrDefault("username") == "u01").Characteristics.Should().Contain("x.custom", "1");
        newSite.Children.Single(u => u.Characteristics.GetValueOrDefault("username") == "u02").Characteristics.Should().NotContainKey("x.custom");
        modify.Root.Children.SelectMany(c => c.Children).Single().Characteristics.Should().NotContainKey("x.custom");
    }

    [Fact]
    public void The_characteristics_a_manifest_may_not_set_are_exactly_those_whcctl_writes_when_it_creates_resources()
    {
        // Given a new company with every field whcctl sends filled (admin and emergency contact, numbers, devices)
        var plain = NewCompany();
        var manifest = plain with
        {
            Company = plain.Company with
            {
                Admin = new ContactSpec("Ann", "ann@acme.example", "01214960000"),
                EmergencyContact = new ContactSpec("Eve", "eve@acme.example", "01214960001"),
            },
        };

        // When its first order is built
        var order = OrderBuilder.Build("ext-1", manifest, QualifiedAndRingfenced(manifest), AddEverything(), NoPlanNadKeys);

        // Then the names it writes per product are the reserved list, so WHC2031 guards exactly what whcctl owns
        var products = new Dictionary<string, string>
        {
            [WhcProducts.Company] = "company", [WhcProducts.NewNumber] = "numberBlock", [WhcProducts.Site] = "site", [WhcProducts.User] = "user",
        };
        var written = Flatten(order.Root).GroupBy(i => products[i.ProductOffering]).ToDictionary(g => g.Key, g => g.SelectMany(i => i.Characteristics.Keys).ToHashSet());
        foreach (var (product, reserved) in ExtraCharacteristics.SetByWhcctl)
        {
            written[product].Should().BeEquivalentTo(reserved, product);
        }
    }

    private static IEnumerable<OrderItem> Flatten(OrderItem item) => item.Children.SelectMany(Flatten).Prepend(item);
}
