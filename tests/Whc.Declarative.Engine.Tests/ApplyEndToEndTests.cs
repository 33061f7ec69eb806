using System.Text.Json.Nodes;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Engine.Tests;

/// <summary>Apply against the sandbox over HTTP, with real state on disk: the whole lifecycle of a company.</summary>
public sealed class ApplyEndToEndTests
{
    [Fact]
    public async Task Applying_a_new_company_provisions_it_and_a_second_plan_shows_no_changes()
    {
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 7, sites: 2));

        var result = await harness.PlanAndApplyAsync(manifests);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        var again = await harness.PlanAsync(manifests);
        again.HasChanges.Should().BeFalse();
        var company = (await harness.InventoryAsync())["companies"]!.AsArray().Single()!;
        company["status"]!.GetValue<string>().Should().Be("active");
        company["users"]!.AsArray().Should().HaveCount(7);
        company["sites"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task Every_id_in_state_equals_the_id_BT_holds()
    {
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 4, sites: 2));
        (await harness.PlanAndApplyAsync(manifests)).Succeeded.Should().BeTrue();

        await Assertions.StateMatchesBtAsync(harness, "acme", "AcmeWidgets");
    }

    [Fact]
    public async Task Users_are_ordered_at_most_three_per_order()
    {
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 10));

        var plan = await harness.PlanAsync(manifests);
        var result = await harness.ApplyAsync(plan);

        result.Succeeded.Should().BeTrue();
        var orders = (await harness.InventoryAsync())["orders"]!.AsArray();
        orders.Should().HaveCount(4, "10 users need 4 orders of at most 3 users");
        plan.Companies.Single().Steps.Count(s => s.Kind == StepKind.CreateOrder).Should().Be(4);
    }

    [Fact]
    public async Task Adding_changing_and_ceasing_users_of_an_existing_company()
    {
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 3);
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();

        // acme.user0 renamed (modify), acme.user2 removed (cease), acme.user9 added.
        var changed = original
            .Replace("lastName: Number0,", "lastName: Renamed,", StringComparison.Ordinal)
            .Replace("      - { username: acme.user2, firstName: User, lastName: Number2, extension: \"2002\", number: { from: main } }\n", string.Empty, StringComparison.Ordinal)
            + "      - { username: acme.user9, firstName: New, lastName: Starter, extension: \"2009\", number: { from: main } }\n";
        var manifests = EngineHarness.Manifests(changed);
        var plan = await harness.PlanAsync(manifests);

        var changes = plan.Companies.Single().Changes.Where(c => c.Action != ChangeAction.NoOp).ToDictionary(c => c.Address.Name, c => c.Action);
        changes.Should().BeEquivalentTo(new Dictionary<string, ChangeAction>
        {
            ["acme.user0"] = ChangeAction.Update,
            ["acme.user2"] = ChangeAction.Delete,
            ["acme.user9"] = ChangeAction.Create,
        });
        (await harness.ApplyAsync(plan)).Succeeded.Should().BeTrue();

        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
        var users = (await harness.InventoryAsync())["companies"]!.AsArray().Single()!["users"]!.AsArray()
            .Where(u => u!["status"]?.GetValue<string>() != "ceased")
            .ToDictionary(u => u!["username"]!.GetValue<string>(), u => u!["lastName"]!.GetValue<string>());
        users.Should().BeEquivalentTo(new Dictionary<string, string> { ["acme.user0"] = "Renamed", ["acme.user1"] = "Number1", ["acme.user9"] = "Starter" });
        await Assertions.StateMatchesBtAsync(harness, "acme", "AcmeWidgets");
    }

    [Fact]
    public async Task Taking_a_users_number_and_devices_away_converges()
    {
        await using var harness = await EngineHarness.StartAsync();
        const string withBoth = "number: { from: main }, devices: [ { macAddress: \"00:11:22:AA:BB:CC\" } ] }";
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2)
            .Replace("extension: \"2000\", number: { from: main } }", "extension: \"2000\", " + withBoth, StringComparison.Ordinal);
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();
        UserAt(await harness.InventoryAsync(), "acme.user0")["macAddresses"]!.AsArray().Should().ContainSingle();

        // An extension-only user without a phone: BT must be told to clear both, or the plan never settles.
        var manifests = EngineHarness.Manifests(original.Replace(", " + withBoth, " }", StringComparison.Ordinal));
        var plan = await harness.PlanAsync(manifests);
        plan.Companies.Single().Changes.Where(c => c.Action != ChangeAction.NoOp).Select(c => (c.Address.Name, c.Action))
            .Should().Equal(("acme.user0", ChangeAction.Update));
        (await harness.ApplyAsync(plan)).Succeeded.Should().BeTrue();

        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
        var user = UserAt(await harness.InventoryAsync(), "acme.user0");
        user["directoryNumber"]?.GetValue<string>().Should().BeNullOrEmpty();
        user["macAddresses"]!.AsArray().Should().BeEmpty();
        await Assertions.StateMatchesBtAsync(harness, "acme", "AcmeWidgets");
    }

    [Fact]
    public async Task A_site_given_by_postcode_keeps_the_address_it_was_made_at_and_a_plan_refuses_another()
    {
        await using var harness = await EngineHarness.StartAsync();
        // One address BT lists (found while planning) and one it does not (made by an address step while applying).
        const string manifest = """
            apiVersion: whc.declarative/v1
            kind: Company
            metadata:
              name: acme
            spec:
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company: { name: AcmeWidgets, domain: acme.example.com, customerGroup: TestGroup }
              numberBlocks:
                - { name: main, areaCode: "0121", quantity: 5 }
              sites:
                - name: park
                  locationCode: ACM01
                  address: { postcode: IP5 3RE, premises: Orion Building }
                  users:
                    - { username: acme.ann, firstName: Ann, lastName: One, extension: "2001", number: { from: main } }
                - name: leeds
                  locationCode: ACM02
                  address: { postcode: LS1 4AP, premises: Aire House, street: Wellington Street, city: Leeds }
                  users:
                    - { username: acme.bob, firstName: Bob, lastName: Two, extension: "2002" }
            """;
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(manifest))).Succeeded.Should().BeTrue();
        (await harness.PlanAsync(EngineHarness.Manifests(manifest))).HasChanges.Should().BeFalse();
        var state = await harness.Store.ReadAsync("acme", CancellationToken.None);
        state!.Sites.ToDictionary(s => s.Name, s => s.FoundBy).Should().BeEquivalentTo(new Dictionary<string, SiteAddressState?>
        {
            ["park"] = new("IP5 3RE", "Orion Building"),
            ["leeds"] = new("LS1 4AP", "Aire House"),
        });

        foreach (var (from, to) in new[] { ("Orion Building", "Antares Building"), ("Aire House", "Annexe") })
        {
            var moved = await harness.PlanAsync(EngineHarness.Manifests(manifest.Replace(from, to, StringComparison.Ordinal)));

            moved.HasErrors.Should().BeTrue();
            moved.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3003").Which.Message.Should().Contain("its address cannot change").And.Contain(to);
        }
    }

    [Fact]
    public async Task A_change_of_protection_alone_is_planned_as_an_in_place_change_and_applied()
    {
        // Given an applied company
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2);
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();

        foreach (var (protect, user) in new[] { (true, "protect: true, "), (false, string.Empty) })
        {
            // When only its protection (and one user's) changes in the manifest
            var manifests = EngineHarness.Manifests(original
                .Replace("spec:\n", $"spec:\n  protect: {(protect ? "true" : "false")}\n", StringComparison.Ordinal)
                .Replace("{ username: acme.user1, ", "{ username: acme.user1, " + user, StringComparison.Ordinal));
            var plan = await harness.PlanAsync(manifests);

            // Then it is an in-place change with no API step, applied to state, after which the plan is clean
            plan.Companies.Single().Changes.Where(c => c.Action != ChangeAction.NoOp)
                .Select(c => (c.Address.ToString(), c.Action, c.Attributes.Single().After))
                .Should().Equal(("acme", ChangeAction.Update, (AttributeValue?)AttributeValue.Flag(protect)), ("acme/user/acme.user1", ChangeAction.Update, AttributeValue.Flag(protect)));
            plan.Companies.Single().Steps.Should().BeEmpty();
            (await harness.ApplyAsync(plan)).Succeeded.Should().BeTrue();
            var state = await harness.Store.ReadAsync("acme", CancellationToken.None);
            state!.Record!.Protected.Should().Be(protect);
            state.Users.Single(u => u.Username == "acme.user1").Protected.Should().Be(protect);
            (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
        }

        (await harness.InventoryAsync())["orders"]!.AsArray().Should().HaveCount(1, "protection never reaches BT");
    }

    private static JsonNode UserAt(JsonNode inventory, string username) =>
        inventory["companies"]!.AsArray().Single()!["users"]!.AsArray().Single(u => u!["username"]!.GetValue<string>() == username)!;

    [Theory]
    [InlineData("qualify")]
    [InlineData("ringFence")]
    [InlineData("createOrder")]
    [InlineData("submitOrder")]
    public async Task A_call_that_took_effect_but_timed_out_is_reconciled_not_repeated(string route)
    {
        await using var harness = await EngineHarness.StartAsync(new FaultConfig
        {
            Script = [new ScriptedFault(route, ScriptedFaultKinds.TimeoutAfterCommit, 1)],
        });
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 2));

        var result = await harness.PlanAndApplyAsync(manifests);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        await Assertions.NoDuplicatesAsync(harness, expectedOrders: 1);
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
    }

    [Theory]
    [InlineData("createOrder", ScriptedFaultKinds.AbortAfterCommit)]
    [InlineData("ringFence", ScriptedFaultKinds.InternalError)]
    [InlineData("qualify", ScriptedFaultKinds.Unavailable)]
    [InlineData("readCompany", ScriptedFaultKinds.InternalError)]
    [InlineData("createOrder", ScriptedFaultKinds.TooManyRequests)]
    [InlineData("readOrder", ScriptedFaultKinds.TokenExpired)]
    public async Task Faults_are_survived_within_one_run(string route, string fault)
    {
        await using var harness = await EngineHarness.StartAsync(new FaultConfig { Script = [new ScriptedFault(route, fault, 1)] });
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 2));

        var result = await harness.PlanAndApplyAsync(manifests);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        await Assertions.NoDuplicatesAsync(harness, expectedOrders: 1);
    }

    [Fact]
    public async Task A_refused_order_fails_its_step_skips_what_depends_on_it_and_leaves_no_intent()
    {
        await using var harness = await EngineHarness.StartAsync();
        var yaml = TestManifests.Company("acme", "AcmeWidgets", users: 1).Replace("nadKey: X05000455530", "nadKey: X99999999999", StringComparison.Ordinal);

        var result = await harness.PlanAndApplyAsync(EngineHarness.Manifests(yaml));

        result.Succeeded.Should().BeFalse();
        result.Steps.Single(s => s.Step.Kind == StepKind.CreateOrder).Outcome.Should().Be(StepOutcome.Failed);
        result.Steps.Single(s => s.Step.Kind == StepKind.CreateOrder).Message.Should().Contain("X99999999999");
        result.Steps.Where(s => s.Step.Kind is StepKind.SubmitOrder or StepKind.AwaitOrder).Should().OnlyContain(s => s.Outcome == StepOutcome.Skipped);
        var state = await harness.Store.ReadAsync("acme", CancellationToken.None);
        state!.Intents.Should().BeEmpty("BT refused the order, so nothing is left to reconcile");
        state.Record!.Qualification.Should().NotBeNull("the qualification that did succeed is recorded");
    }
}

/// <summary>Checks shared by the end-to-end and chaos tests, read from the sandbox's admin view of its inventory.</summary>
public static class Assertions
{
    public static async Task NoDuplicatesAsync(EngineHarness harness, int? expectedOrders = null)
    {
        var inventory = await harness.InventoryAsync();
        foreach (var company in inventory["companies"]!.AsArray())
        {
            var name = company!["companyName"]!.GetValue<string>();
            company["qualifications"]!.AsArray().Should().HaveCount(1, $"{name} is qualified exactly once");
            var ranges = company["numberRanges"]!.AsArray().Where(r => r!["status"]!.GetValue<string>() != "CEASED").ToList();
            ranges.Should().HaveCount(1, $"{name}'s one block is ringfenced exactly once");
        }

        var orders = inventory["orders"]!.AsArray();
        if (expectedOrders is not null)
        {
            orders.Should().HaveCount(expectedOrders.Value, "no order is ever duplicated");
        }

        orders.Select(o => o!["externalId"]?.GetValue<string>()).Should().OnlyHaveUniqueItems();
    }

    public static async Task StateMatchesBtAsync(EngineHarness harness, string key, string companyName)
    {
        var state = await harness.Store.ReadAsync(key, CancellationToken.None);
        state.Should().NotBeNull();
        state!.Intents.Should().BeEmpty();
        var company = (await harness.InventoryAsync())["companies"]!.AsArray()
            .Single(c => c!["companyName"]!.GetValue<string>() == companyName)!;
        state.Record!.ServiceId.Should().Be(company["serviceId"]!.GetValue<string>());
        Ids(company["sites"], "siteName").Should().BeEquivalentTo(state.Sites.ToDictionary(s => s.Name, s => s.ServiceId));
        Ids(company["users"], "username").Should().BeEquivalentTo(state.Users.ToDictionary(u => u.Username, u => u.ServiceId));
        var liveRanges = company["numberRanges"]!.AsArray().Where(r => r!["status"]!.GetValue<string>() != "CEASED")
            .ToDictionary(r => r!["startNumber"]!.GetValue<string>(), r => r!["serviceId"]?.GetValue<string>());
        state.NumberBlocks.SelectMany(b => b.Ranges).ToDictionary(r => r.StartNumber, r => r.ServiceId).Should().BeEquivalentTo(liveRanges);
        var numbers = company["users"]!.AsArray().Where(u => u!["status"]?.GetValue<string>() != "ceased")
            .ToDictionary(u => u!["username"]!.GetValue<string>(), u => u!["directoryNumber"]?.GetValue<string>() is { Length: > 0 } number ? number : null);
        state.Users.ToDictionary(u => u.Username, u => u.DirectoryNumber).Should().BeEquivalentTo(numbers);
    }

    private static Dictionary<string, string?> Ids(JsonNode? records, string nameField) =>
        records!.AsArray()
            .Where(r => r!["status"]?.GetValue<string>() is null or "active")
            .ToDictionary(r => r![nameField]!.GetValue<string>(), r => (string?)r!["serviceId"]!.GetValue<string>());
}
