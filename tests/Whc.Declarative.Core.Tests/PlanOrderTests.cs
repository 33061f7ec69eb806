using System.Text.Json;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 23: a plan's order is explicit (by name, ordinal), never a hashed map's, nor the order in which state or BT
/// happen to list things; a saved plan is derived again in another process and must come out the same. (The test that
/// runs the processes is PlanDeterminismTests in the CLI tests.)
/// </summary>
public class PlanOrderTests
{
    private static readonly string[] Ceased = ["u03", "u04", "u05", "u06", "u07", "u08", "u09"];

    [Fact]
    public void Ceased_users_are_planned_in_name_order_whatever_order_state_and_BT_list_them_in()
    {
        // Given nine users applied, seven of them removed from the manifest; and the same company as a state that lists
        // its users in another order, and a BT that lists them backwards
        var applied = Applied(Simple(users: 9));
        var inventory = InventoryOf(applied);
        var shuffled = applied with { Users = [.. applied.Users.OrderBy(u => Stable(u.Username))] };
        var backwards = inventory with { Users = [.. inventory.Users.Reverse()] };

        // When both are planned
        var plan = PlanOne(Input(Simple(users: 2), applied, RefreshSnapshot.Of(inventory))).Only();
        var other = PlanOne(Input(Simple(users: 2), shuffled, RefreshSnapshot.Of(backwards))).Only();

        // Then the ceases come in name order, in the changes and in the orders, and the two plans are the same
        plan.Changes.Where(c => c.Action == ChangeAction.Delete).Select(c => c.Address.Name).Should().Equal(Ceased);
        plan.Steps.Where(s => s.Kind == StepKind.CreateOrder).SelectMany(s => s.Operations()).Select(o => o.Address.Name).Should().Equal(Ceased);
        plan.ReservedNumbers.Keys.Should().Equal(Ceased);
        JsonSerializer.Serialize(other).Should().Be(JsonSerializer.Serialize(plan));
    }

    [Fact]
    public void Ceased_sites_and_blocks_are_planned_in_name_order()
    {
        // Given four blocks and four sites applied, three of each removed from the manifest
        var names = new[] { "zulu", "alpha", "mike", "bravo" };
        var wide = Manifest([.. names.Select((n, i) => Block(n, "012" + i, 5))], [.. names.Select(n => Site(n))]);
        var applied = Applied(wide);
        var narrow = Manifest([Block("zulu", "0120", 5)], Site("zulu"));

        // When it is planned
        var plan = PlanOne(Existing(narrow, applied)).Only();

        // Then the blocks and the sites are ceased in name order
        plan.Changes.Where(c => c.Action == ChangeAction.Delete).Select(c => c.Address.ToString())
            .Should().Equal("acme/number-block/alpha", "acme/number-block/bravo", "acme/number-block/mike", "acme/site/alpha", "acme/site/bravo", "acme/site/mike");
        plan.Steps.Where(s => s.Kind == StepKind.CreateOrder).SelectMany(s => s.Operations()).Select(o => o.Address.ToString())
            .Should().Equal("acme/number-block/alpha", "acme/number-block/bravo", "acme/number-block/mike", "acme/site/alpha", "acme/site/bravo", "acme/site/mike");
    }

    [Fact]
    public void The_state_refresh_reads_lists_sites_and_users_by_name_whatever_order_BT_lists_them_in()
    {
        // Given BT listing a company's sites and users in an order of its own
        var manifest = Manifest(Site("hq", Users("u", 3)), Site("annex", Users("a", 2)));
        var applied = Applied(manifest);
        var inventory = InventoryOf(applied);
        var backwards = inventory with { Sites = [.. inventory.Sites.Reverse()], Users = [.. inventory.Users.Reverse()] };

        // When state is reconciled with it (the refreshed state a saved plan carries)
        var reconciled = StateReconciler.Reconcile(applied, manifest, backwards);

        // Then they are in name order, as state is written
        reconciled.Sites.Select(s => s.Name).Should().Equal("annex", "hq");
        reconciled.Users.Select(u => u.Username).Should().Equal("a01", "a02", "u01", "u02", "u03");
    }
}
