using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

public sealed class OrderTests
{
    private static async Task<(SandboxHarness Sandbox, string Qualification, string Start, string End)> PreparedAsync(SandboxOptions? options = null)
    {
        var sandbox = await SandboxHarness.StartAsync(options);
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        var range = (await sandbox.RingFenceAsync(serviceId, qualification, 10)).Json!["numberRange"]!;
        return (sandbox, qualification, range["startNumber"]!.GetValue<string>(), range["endNumber"]!.GetValue<string>());
    }

    private static string State(Reply order) => order.Json!["state"]!.GetValue<string>();

    [Fact]
    public async Task A_created_order_is_pending_and_changes_nothing_until_submitted()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync(new SandboxOptions { OrderTimings = OrderTimings.Immediate });
        await using var _ = sandbox;
        var created = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end,
            users: [Bodies.User("1.1.1", "jane", "2001", start)]));
        await sandbox.AdvanceClockAsync("PT1H");

        State(await sandbox.GetAsync(Paths.Order(created.Json!["id"]!.GetValue<string>()))).Should().Be("pending");
        var company = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!;
        company["status"]!.GetValue<string>().Should().Be("qualified");
        company["users"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_submitted_order_moves_acknowledged_then_inProgress_then_completed_on_the_sandbox_clock()
    {
        var timings = new OrderTimings(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        var (sandbox, qualification, start, end) = await PreparedAsync(new SandboxOptions { OrderTimings = timings });
        await using var _ = sandbox;
        var id = (await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end,
            users: [Bodies.User("1.1.1", "jane", "2001", start)]))).Json!["id"]!.GetValue<string>();
        await sandbox.PostAsync(Paths.Submit, Bodies.Submit(id));

        State(await sandbox.GetAsync(Paths.Order(id))).Should().Be("acknowledged");
        await sandbox.AdvanceClockAsync("PT1M");
        State(await sandbox.GetAsync(Paths.Order(id))).Should().Be("inProgress");
        (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["users"]!.AsArray().Should().BeEmpty("only completed orders change the inventory");
        await sandbox.AdvanceClockAsync("PT2M");
        var done = await sandbox.GetAsync(Paths.Order(id));

        State(done).Should().Be("completed");
        done.Json!["productOrderItem"]![0]!["product"]!["id"]!.GetValue<string>().Should().Be("WHHCBTWKN1484");
        (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["users"]!.AsArray().Should().HaveCount(1);
    }

    [Fact]
    public async Task With_zero_timings_a_submitted_order_completes_at_once()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync(new SandboxOptions { OrderTimings = OrderTimings.Immediate });
        await using var _ = sandbox;
        var id = (await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end))).Json!["id"]!.GetValue<string>();
        await sandbox.PostAsync(Paths.Submit, Bodies.Submit(id));
        State(await sandbox.GetAsync(Paths.Order(id))).Should().Be("completed");
    }

    [Fact]
    public async Task Service_ids_and_order_ids_come_from_one_counter()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync(new SandboxOptions { OrderTimings = OrderTimings.Immediate });
        await using var _ = sandbox;
        var id = (await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end,
            users: [Bodies.User("1.1.1", "jane", "2001", start)]))).Json!["id"]!.GetValue<string>();
        await sandbox.PostAsync(Paths.Submit, Bodies.Submit(id));

        var company = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!;
        id.Should().Be("BTWKN1485");
        company["numberRanges"]![0]!["serviceId"]!.GetValue<string>().Should().Be("WHHNBTWKN1486");
        company["sites"]![0]!["serviceId"]!.GetValue<string>().Should().Be("WHHSBTWKN1487");
        company["users"]![0]!["serviceId"]!.GetValue<string>().Should().Be("WHHUBTWKN1488");
    }

    [Fact]
    public async Task More_WHCUser_items_than_the_limit_time_out_with_504_69_and_create_nothing()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        var users = Enumerable.Range(0, 4).Select(i => (JsonNode)Bodies.User($"1.1.{i}", $"user{i}", $"200{i}", $"0121496000{i}")).ToArray();

        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end, users: users));

        (reply.Code, reply.ErrorCode).Should().Be((504, "69"));
        (await sandbox.InventoryAsync())["orders"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task The_user_limit_is_configurable()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync(new SandboxOptions { MaxUsersPerOrder = 1 });
        await using var _ = sandbox;
        var users = new JsonNode[] { Bodies.User("1.1.1", "a", "2001", start), Bodies.User("1.1.2", "b", "2002", "01214960001") };
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end, users: users));
        reply.Code.Should().Be(504);
    }

    [Fact]
    public async Task A_user_whose_directory_number_is_not_ringfenced_to_the_company_is_refused()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end,
            users: [Bodies.User("1.1.1", "jane", "2001", "01214960500")]));
        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("01214960500");
    }

    [Fact]
    public async Task A_user_without_a_directory_number_is_an_extension_only_user_and_is_accepted()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync(new SandboxOptions { OrderTimings = OrderTimings.Immediate });
        await using var _ = sandbox;
        var user = Bodies.User("1.1.1", "jane", "2001", start);
        user["product"]!["productCharacteristic"]!.AsArray().Remove(
            user["product"]!["productCharacteristic"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "directoryNumber"));

        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end, users: [user]));
        reply.Code.Should().Be(201, reply.Json?.ToJsonString());
        await sandbox.PostAsync(Paths.Submit, Bodies.Submit(reply.Json!["id"]!.GetValue<string>()));

        var company = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!;
        var jane = company["users"]!.AsArray().Single()!;
        jane["extension"]!.GetValue<string>().Should().Be("2001");
        jane["directoryNumber"].Should().BeNull();
    }

    [Fact]
    public async Task Two_users_with_the_same_username_in_one_order_are_refused()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end,
            users: [Bodies.User("1.1.1", "jane", "2001", start), Bodies.User("1.1.2", "JANE", "2002", "01214960001")]));
        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("username");
    }

    [Fact]
    public async Task A_refused_order_leaves_the_inventory_exactly_as_it_was()
    {
        // Validation applies the order to a copy of the company it is for; nothing of it may leak into the inventory.
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        await sandbox.ActiveCompanyAsync("OtherCo", "other.example.com", username: "other.user");
        var before = (await sandbox.InventoryAsync()).ToJsonString();

        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end,
            users: [Bodies.User("1.1.1", "jane", "2001", start), Bodies.User("1.1.2", "other.user", "2002", "01214960001")]));

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("other.user").And.Contain("already registered");
        (await sandbox.InventoryAsync()).ToJsonString().Should().Be(before);
    }

    [Fact]
    public async Task Two_users_with_the_same_directory_number_are_refused()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end,
            users: [Bodies.User("1.1.1", "a", "2001", start), Bodies.User("1.1.2", "b", "2002", start)]));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("already used");
    }

    [Fact]
    public async Task A_MAC_address_already_registered_is_refused()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end,
            users: [Bodies.User("1.1.1", "a", "2001", start, "00:11:22:aa:bb:cc"), Bodies.User("1.1.2", "b", "2002", "01214960001", "001122AABBCC")]));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("MAC");
    }

    [Fact]
    public async Task A_user_placed_directly_under_the_company_breaks_the_product_tree()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        var order = Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end);
        order["productOrderItem"]![0]!["productOrderItem"]!.AsArray().Add(Bodies.User("1.9", "jane", "2001", start));

        var reply = await sandbox.PostAsync(Paths.Orders, order);

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("cannot be placed under a WHCCompany");
    }

    [Fact]
    public async Task A_new_company_order_without_a_qualification_is_refused()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        var order = Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end);
        order["productOrderItem"]![0]!.AsObject().Remove("qualification");
        var reply = await sandbox.PostAsync(Paths.Orders, order);
        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    [Fact]
    public async Task A_second_order_with_the_same_qualification_is_refused_so_a_company_cannot_be_ordered_twice()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        var order = Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end);
        (await sandbox.PostAsync(Paths.Orders, order)).Code.Should().Be(201);

        var again = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end));

        (again.Code, again.ErrorCode).Should().Be((400, "29"));
        again.Json!["errors"]!.ToJsonString().Should().Contain("already used");
    }

    [Fact]
    public async Task A_number_block_that_was_not_ringfenced_is_refused()
    {
        var (sandbox, qualification, _, _) = await PreparedAsync();
        await using var _ = sandbox;
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", "01214960100", "01214960109"));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("not ringfenced");
    }

    [Fact]
    public async Task Orders_are_listed_by_externalId()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end, externalId: "whcctl-abc"));

        var found = await sandbox.GetAsync(Paths.Orders + "?externalId=whcctl-abc");
        var none = await sandbox.GetAsync(Paths.Orders + "?externalId=whcctl-other");

        found.Json!.AsArray().Select(o => o!["externalId"]!.GetValue<string>()).Should().Equal("whcctl-abc");
        found.Json[0]!["state"]!.GetValue<string>().Should().Be("pending");
        none.Json!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Submitting_an_unknown_order_gets_404_60()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.PostAsync(Paths.Submit, Bodies.Submit("BTWKN1"));
        (reply.Code, reply.ErrorCode).Should().Be((404, "60"));
    }

    [Fact]
    public async Task Reading_an_unknown_order_gets_404_60()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync(Paths.Order("BTWKN1"));
        (reply.Code, reply.ErrorCode).Should().Be((404, "60"));
    }

    [Fact]
    public async Task Submitting_twice_answers_201_again_and_changes_nothing()
    {
        var (sandbox, qualification, start, end) = await PreparedAsync();
        await using var _ = sandbox;
        var id = (await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", start, end))).Json!["id"]!.GetValue<string>();
        await sandbox.PostAsync(Paths.Submit, Bodies.Submit(id));
        var before = (await sandbox.InventoryAsync()).ToJsonString();

        var again = await sandbox.PostAsync(Paths.Submit, Bodies.Submit(id));

        again.Code.Should().Be(201);
        (await sandbox.InventoryAsync()).ToJsonString().Should().Be(before);
    }

    [Fact]
    public async Task A_later_order_adds_a_user_to_an_existing_site_by_service_id()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var site = Bodies.Item("1.1", "noChange", "WHCSite", company.SiteServiceId, null, null, Bodies.User("1.1.1", "john", "2002", "01214960001"));

        var id = await sandbox.SubmitAndCompleteAsync(Bodies.ChangeOrder(company.ServiceId, "whcctl-2", site));

        State(await sandbox.GetAsync(Paths.Order(id))).Should().Be("completed");
        (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["users"]!.AsArray().Select(u => u!["username"]!.GetValue<string>()).Should().Equal("jane.smith", "john");
    }

    [Fact]
    public async Task A_later_order_modifies_a_user_by_service_id()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var user = Bodies.Item("1.1.1", "modify", "WHCUser", company.UserServiceId, new JsonArray(Bodies.Characteristic("extension", "2999")));
        var site = Bodies.Item("1.1", "noChange", "WHCSite", company.SiteServiceId, null, null, user);

        await sandbox.SubmitAndCompleteAsync(Bodies.ChangeOrder(company.ServiceId, "whcctl-2", site));

        var users = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["users"]!;
        users[0]!["extension"]!.GetValue<string>().Should().Be("2999");
        users[0]!["serviceId"]!.GetValue<string>().Should().Be(company.UserServiceId);
    }

    [Fact]
    public async Task A_later_order_ceases_a_site_with_its_user_and_they_are_no_longer_listed()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var user = Bodies.Item("1.1.1", "delete", "WHCUser", company.UserServiceId);
        var site = Bodies.Item("1.1", "delete", "WHCSite", company.SiteServiceId, null, null, user);

        var id = await sandbox.SubmitAndCompleteAsync(Bodies.ChangeOrder(company.ServiceId, "whcctl-2", site));

        State(await sandbox.GetAsync(Paths.Order(id))).Should().Be("completed");
        var read = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!;
        read["sites"]!.AsArray().Should().BeEmpty();
        read["users"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Ceasing_a_site_that_still_has_users_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.ChangeOrder(company.ServiceId, "x", Bodies.Item("1.1", "delete", "WHCSite", company.SiteServiceId)));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("still has users");
    }

    [Fact]
    public async Task A_later_order_adds_a_second_site_at_a_temporary_address()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var nadKey = (await sandbox.PostAsync(Paths.Address, JsonNode.Parse("""{"postcode":"LS1 1AA","buildingName":"Leeds Office","city":"Leeds"}""")!)).Json!["id"]!.GetValue<string>();
        var site = Bodies.Item("1.1", "add", "WHCSite", null, new JsonArray(Bodies.Characteristic("siteName", "leeds"), Bodies.Characteristic("siteLocationCode", "LDS01")), nadKey);

        await sandbox.SubmitAndCompleteAsync(Bodies.ChangeOrder(company.ServiceId, "whcctl-2", site));

        (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["sites"]!.AsArray().Select(s => s!["nadKey"]!.GetValue<string>()).Should().Contain(nadKey);
    }

    [Fact]
    public async Task A_site_with_an_unknown_NAD_key_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var site = Bodies.Item("1.1", "add", "WHCSite", null, new JsonArray(Bodies.Characteristic("siteName", "x"), Bodies.Characteristic("siteLocationCode", "X1")), "X00000000000");
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.ChangeOrder(company.ServiceId, "x", site));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("unknown NAD key");
    }

    [Fact]
    public async Task An_unknown_service_id_in_a_later_order_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.ChangeOrder(company.ServiceId, "x", Bodies.Item("1.1", "delete", "WHCSite", "WHHSBTWKN9999")));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("unknown site service id");
    }

    [Fact]
    public async Task A_conflict_that_arises_after_creation_fails_the_item_at_processing_and_the_order_is_failed()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        JsonObject AddJohn(string externalId) => Bodies.ChangeOrder(company.ServiceId, externalId,
            Bodies.Item("1.1", "noChange", "WHCSite", company.SiteServiceId, null, null, Bodies.User("1.1.1", "john", "2002", "01214960001")));
        var first = (await sandbox.PostAsync(Paths.Orders, AddJohn("a"))).Json!["id"]!.GetValue<string>();
        var second = (await sandbox.PostAsync(Paths.Orders, AddJohn("b"))).Json!["id"]!.GetValue<string>();
        await sandbox.PostAsync(Paths.Submit, Bodies.Submit(first));
        await sandbox.PostAsync(Paths.Submit, Bodies.Submit(second));
        await sandbox.AdvanceClockAsync("PT1M");

        var failed = await sandbox.GetAsync(Paths.Order(second));

        State(await sandbox.GetAsync(Paths.Order(first))).Should().Be("completed");
        State(failed).Should().Be("partial", "the company and site items complete while the user item fails");
        failed.Json!["errorMessage"]!.GetValue<string>().Should().Contain("username 'john' is already registered");
        (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["users"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task A_company_name_and_domain_stay_unique_across_resellers_after_activation()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ActiveCompanyAsync();
        await sandbox.AdvanceClockAsync("P2D");

        var reply = await sandbox.QualifyAsync("THEFUNNETWORK", "new.example", SandboxHarness.OtherCug);

        reply.Json!["productOfferingQualificationItem"]![0]!["qualificationItemResult"]!.GetValue<string>().Should().Be("Unqualified");
    }

    [Fact]
    public async Task The_number_block_can_be_ceased_once_no_user_uses_it()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var rangeId = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["numberRanges"]![0]!["serviceId"]!.GetValue<string>();
        var inUse = await sandbox.PostAsync(Paths.Orders, Bodies.ChangeOrder(company.ServiceId, "x", Bodies.Item("1.1", "delete", "WHCNewnumber", rangeId)));
        inUse.Json!["errors"]!.ToJsonString().Should().Contain("still used");

        var site = Bodies.Item("1.1", "noChange", "WHCSite", company.SiteServiceId, null, null, Bodies.Item("1.1.1", "delete", "WHCUser", company.UserServiceId));
        await sandbox.SubmitAndCompleteAsync(Bodies.ChangeOrder(company.ServiceId, "y", site, Bodies.Item("1.2", "delete", "WHCNewnumber", rangeId)));

        (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["numberRanges"]!.AsArray().Should().BeEmpty();
    }
}
