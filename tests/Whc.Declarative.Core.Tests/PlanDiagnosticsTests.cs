using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class PlanDiagnosticsTests
{
    private static CompanyInventory SomeoneElsesCompanyUnderOurCug() =>
        new("CO-9999", "Acme Ltd", "acme.example", "retail", CompanyStatus.Active, null, [], [], []);

    [Fact]
    public void Should_report_WHC3001_when_the_company_name_is_registered_at_BT_but_not_in_state()
    {
        // Given a new company whose name BT already holds under a service id state does not know
        var input = Input(Simple(), refresh: RefreshSnapshot.Of(SomeoneElsesCompanyUnderOurCug()));

        // When it is planned
        var plan = PlanOne(input);

        // Then WHC3001 suggests import
        var diagnostic = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3001").Subject;
        diagnostic.IsError.Should().BeTrue();
        diagnostic.Message.Should().Contain("'Acme Ltd'").And.Contain("whcctl import acme");
    }

    [Fact]
    public void Should_say_registered_by_another_reseller_when_BT_shows_the_name_only()
    {
        // Given BT reports the name as registered elsewhere
        var input = Input(Simple(), refresh: RefreshSnapshot.Of(CompanyInventory.RegisteredElsewhere("Acme Ltd")));

        // When it is planned
        var plan = PlanOne(input);

        // Then WHC3001 says so and does not suggest import
        var diagnostic = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3001").Subject;
        diagnostic.Message.Should().Contain("another reseller").And.NotContain("import");
    }

    [Fact]
    public void Should_report_WHC3002_when_the_domain_is_taken()
    {
        // Given BT reports the domain of a new company as registered
        var input = Input(Simple(), refresh: RefreshSnapshot.Of(null) with { DomainTaken = true });

        // When it is planned
        var plan = PlanOne(input);

        // Then WHC3002 is an error naming the domain
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3002").Which.Message.Should().Contain("acme.example");
        plan.HasErrors.Should().BeTrue();
    }

    public static TheoryData<string, Func<CompanyManifest, CompanyManifest>> ImmutableChanges => new()
    {
        { "name", m => m with { Company = m.Company with { Name = "Acme Group Ltd" } } },
        { "domain", m => m with { Company = m.Company with { Domain = "acme-group.example" } } },
        { "customerGroup", m => m with { Company = m.Company with { CustomerGroup = "wholesale" } } },
        { "locationCode", m => m with { Sites = [m.Sites[0] with { LocationCode = "LOC-new" }] } },
        { "areaCode", m => m with { NumberBlocks = [m.NumberBlocks[0] with { AreaCode = "0161" }] } },
    };

    [Theory]
    [MemberData(nameof(ImmutableChanges))]
    public void Should_report_WHC3003_when_a_field_BT_cannot_change_is_changed(string field, Func<CompanyManifest, CompanyManifest> change)
    {
        // Given an applied company and a manifest that changes an immutable field
        var manifest = Simple();
        var state = Applied(manifest);

        // When the changed manifest is planned
        var plan = PlanOne(Existing(change(manifest), state));

        // Then WHC3003 names the field
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3003").Which.Message.Should().Contain(field);
    }

    [Theory]
    [InlineData("IP1 1AA", "Unit 5", true)]
    [InlineData("IP4 2BB", "Unit 4", true)]
    [InlineData("ip11aa", "unit  4", false)]
    public void Should_report_WHC3003_when_a_site_given_by_postcode_is_given_another_address(string postcode, string premises, bool refused)
    {
        // Given a site whcctl found at Unit 4, IP1 1AA
        var manifest = Manifest(SiteAtPostcode("hq", "IP1 1AA", "Unit 4", Users("u", 1).ToArray()));
        var state = Applied(manifest);

        // When the manifest names another address for it (or the same one spelt differently)
        var moved = manifest with { Sites = [manifest.Sites[0] with { Address = new AddressSpec(postcode, premises, null, null, null) }] };
        var plan = PlanOne(Existing(moved, state));

        // Then BT cannot move a site: WHC3003 says so, naming both addresses
        if (refused)
        {
            plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3003").Which.Message
                .Should().Contain("site 'hq': its address cannot change").And.Contain("'Unit 4, IP1 1AA'").And.Contain($"'{premises}, {postcode}'");
        }
        else
        {
            plan.AllDiagnostics.Should().BeEmpty();
            plan.HasChanges.Should().BeFalse();
        }
    }

    [Fact]
    public void Should_not_judge_the_address_of_a_site_whose_address_was_never_recorded()
    {
        // Given a site adopted from BT's inventory (import): state knows its NAD key but not the address it was made at
        var manifest = Manifest(SiteAtPostcode("hq", "IP1 1AA", "Unit 4", Users("u", 1).ToArray()));
        var state = Applied(manifest);
        state = state with { Sites = [state.Sites[0] with { FoundBy = null }] };

        // When the manifest gives any address
        var plan = PlanOne(Existing(manifest with { Sites = [manifest.Sites[0] with { Address = new AddressSpec("IP4 2BB", "Unit 9", null, null, null) }] }, state));

        // Then there is nothing to compare it with
        plan.AllDiagnostics.Should().NotContain(d => d.Code == "WHC3003");
    }

    [Fact]
    public void Should_report_WHC3004_when_a_protected_user_is_removed_from_the_manifest()
    {
        // Given state remembers u02 as protected
        var manifest = Simple(users: 2);
        var state = Applied(manifest);
        state = state with { Users = [state.Users[0], state.Users[1] with { Protected = true }] };

        // When a manifest without u02 is planned
        var plan = PlanOne(Existing(Manifest(Site("hq", manifest.Sites[0].Users[0])), state));

        // Then WHC3004 is reported and u02 is not ceased
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3004").Which.Message.Should().Contain("acme/user/u02");
        plan.Only().Steps.SelectMany(s => s.Operations()).Should().NotContain(o => o.Kind == OrderOperationKind.Cease);
    }

    [Fact]
    public void Should_report_WHC3004_when_a_protected_site_is_removed_from_the_manifest()
    {
        // Given state remembers site "branch" as protected
        var manifest = Manifest(Site("hq", User("u01")), Site("branch"));
        var state = Applied(manifest);
        state = state with { Sites = [.. state.Sites.Select(s => s.Name == "branch" ? s with { Protected = true } : s)] };

        // When a manifest without the site is planned
        var plan = PlanOne(Existing(Manifest(Site("hq", User("u01"))), state));

        // Then WHC3004 names the site
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3004").Which.Message.Should().Contain("acme/site/branch");
    }

    [Fact]
    public void Should_report_WHC3004_when_a_protected_number_block_is_removed_from_the_manifest()
    {
        // Given state remembers block "spare" as protected
        var manifest = Manifest([Block("main"), Block("spare", "0161", 5)], Site("hq", User("u01")));
        var state = Applied(manifest);
        state = state with { NumberBlocks = [.. state.NumberBlocks.Select(b => b.Name == "spare" ? b with { Protected = true } : b)] };

        // When a manifest without the block is planned
        var plan = PlanOne(Existing(Manifest(Site("hq", User("u01"))), state));

        // Then WHC3004 names the block
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3004").Which.Message.Should().Contain("acme/number-block/spare");
    }

    [Fact]
    public void Should_report_WHC3005_when_a_new_users_username_is_taken()
    {
        // Given BT reports u02 as a registered username
        var input = Input(Simple(users: 2), refresh: RefreshSnapshot.Of(null) with { TakenUsernames = ["u02"] });

        // When it is planned
        var plan = PlanOne(input);

        // Then WHC3005 names u02 and points at the user's span
        var diagnostic = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3005").Subject;
        diagnostic.Message.Should().Contain("'u02'");
        diagnostic.Span.Should().Be(Span());
    }

    [Fact]
    public void Should_report_WHC3006_when_several_addresses_match_the_premises()
    {
        // Given two addresses at the postcode that both match "Acme House"
        var manifest = Manifest(SiteAtPostcode("hq", "B1 1AA", "Acme House", User("u01")));
        var refresh = RefreshSnapshot.Of(null) with
        {
            AddressesByPostcode = ImmutableSortedDictionary<string, ImmutableArray<AddressRecord>>.Empty.Add("B1 1AA",
            [
                new AddressRecord("A00000001", "B1 1AA", "Acme House", null, "1", "High Street", "Birmingham", false),
                new AddressRecord("A00000002", "B1 1AA", "ACME HOUSE", null, "3", "High Street", "Birmingham", false),
            ]),
        };

        // When it is planned
        var plan = PlanOne(Input(manifest, refresh: refresh));

        // Then WHC3006 lists both NAD keys
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3006").Which.Message.Should().Contain("A00000001").And.Contain("A00000002");
    }

    [Fact]
    public void Should_report_WHC3007_when_a_number_block_shrinks()
    {
        // Given a block of 10 ringfenced numbers
        var manifest = Simple();
        var state = Applied(manifest);

        // When a manifest asking for 5 is planned
        var plan = PlanOne(Existing(manifest with { NumberBlocks = [Block(quantity: 5)] }, state));

        // Then WHC3007 is reported and nothing is ringfenced
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3007").Which.Span.Should().Be(Span(3));
        plan.Only().Steps.Should().NotContain(s => s.Kind == StepKind.RingFence);
    }

    [Fact]
    public void Should_warn_WHC3010_when_the_qualification_expires_within_the_window()
    {
        // Given a qualified (not yet ordered) company whose qualification expires in 30 minutes
        var manifest = Simple();
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", "CO-0001", new QualificationRecord("Q-7", Now.AddMinutes(30), false), false),
        };
        var inventory = new CompanyInventory("CO-0001", "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-7", [], [], []);

        // When it is planned with the default one-hour window
        var plan = PlanOne(Input(manifest, state, RefreshSnapshot.Of(inventory)));

        // Then WHC3010 warns, and the still-valid qualification is used (no new qualify step)
        var diagnostic = plan.AllDiagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC3010");
        diagnostic.Severity.Should().Be(DiagnosticSeverity.Warning);
        plan.Only().Steps.Should().NotContain(s => s.Kind == StepKind.Qualify);
    }

    [Fact]
    public void Should_requalify_without_warning_when_the_qualification_has_expired()
    {
        // Given a qualified company whose qualification expired a minute ago
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", "CO-0001", new QualificationRecord("Q-7", Now.AddMinutes(-1), false), false),
        };
        var inventory = new CompanyInventory("CO-0001", "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-7", [], [], []);

        // When it is planned
        var plan = PlanOne(Input(Simple(), state, RefreshSnapshot.Of(inventory)));

        // Then a new qualify step comes first and nothing warns
        plan.Only().Steps[0].Kind.Should().Be(StepKind.Qualify);
        plan.AllDiagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Should_warn_WHC3013_and_plan_nothing_for_a_company_in_state_but_not_in_the_manifests()
    {
        // Given a company known to state that no manifest mentions
        var state = Applied(Simple());

        // When it is planned
        var plan = PlanOne(Input(null, state, RefreshSnapshot.Of(InventoryOf(state))));

        // Then there is a warning and no company plan
        plan.Companies.Should().BeEmpty();
        var diagnostic = plan.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC3013");
        diagnostic.Severity.Should().Be(DiagnosticSeverity.Warning);
        diagnostic.Message.Should().Contain("whcctl destroy acme");
    }

    [Fact]
    public void Should_not_warn_WHC3013_for_a_destroyed_company_whose_state_is_a_tombstone()
    {
        // Given a company whcctl destroyed: its state records the destroy, and nothing at BT
        var state = CompanyState.New("acme", "00000000-0000-4000-8000-000000000001") with
        {
            Serial = 9,
            Orders = [new OrderRecord("ORD-1", "x-1", "acme:order-1:create", OrderState.Completed, DateTimeOffset.UnixEpoch, ["acme"])],
            Destroyed = new CompanyTombstone(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "Acme Ltd", "WHHC1"),
        };

        // When the manifests, which no longer name it, are planned
        var plan = PlanOne(Input(null, state, null));

        // Then nothing tells the user to destroy it again
        plan.Companies.Should().BeEmpty();
        plan.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Should_not_warn_WHC3013_for_a_company_destroyed_before_whcctl_kept_tombstones()
    {
        // Given the state an older whcctl left after a destroy: no record, nothing at BT, its last order the company's cease
        var ceased = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var state = CompanyState.New("acme", "00000000-0000-4000-8000-000000000001") with
        {
            Serial = 9,
            Orders =
            [
                new OrderRecord("ORD-1", "x-1", "acme:order-1:create", OrderState.Completed, ceased.AddHours(-1), ["acme"]) { Operations = [new OrderOperation(ResourceAddress.ForCompany("acme"), OrderOperationKind.Add)] },
                new OrderRecord("ORD-2", "x-2", "acme:order-1:create", OrderState.Completed, ceased, ["acme"]) { Operations = [new OrderOperation(ResourceAddress.ForCompany("acme"), OrderOperationKind.Cease)] },
            ],
        };

        // When the manifests, which no longer name it, are planned
        var plan = PlanOne(Input(null, state, null));

        // Then it counts as destroyed: no warning, and its tombstone dates from the cease
        state.IsDestroyed.Should().BeTrue();
        state.Tombstone!.At.Should().Be(ceased);
        plan.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Should_report_WHC3008_when_a_fully_ringfenced_block_has_no_number_left_for_a_user()
    {
        // Given a block of two numbers, both ringfenced and in use
        var manifest = Manifest([Block(quantity: 2)], Site("hq", Users("u", 2)));
        var state = Applied(manifest);

        // When a third user drawing on it is planned
        var plan = PlanOne(Existing(Manifest([Block(quantity: 2)], Site("hq", Users("u", 3))), state));

        // Then WHC3008 names the user and the block
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3008").Which.Message.Should().Contain("'u03'").And.Contain("'main'");
    }

    [Fact]
    public void Should_say_in_WHC3008_that_the_numbers_a_plan_frees_are_already_given_out()
    {
        // Given a full block of two numbers held by u01 and u02
        var manifest = Manifest([Block(quantity: 2)], Site("hq", Users("u", 2)));
        var state = Applied(manifest);

        // When u02 is removed and two new users come: u02's number goes to one, none is left for the other
        var swapped = Manifest([Block(quantity: 2)], Site("hq", Users("u", 1).Add(User("x01", extension: "2009")).Add(User("x02", extension: "2010"))));
        var plan = PlanOne(Existing(swapped, state));

        // Then WHC3008 names the user left without, and says the freed number already goes to another new user
        var message = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3008").Which.Message;
        message.Should().Contain("'x02'").And.Contain("'main'").And.Contain("u02").And.Contain("quantity");
        message.Should().NotContain("frees only once");
    }
}
