using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

// The step pass: turns the plan's parts into typed steps (qualify, ringfences, addresses, orders and their awaits)
// with their dependencies, in the order BT needs them.
internal sealed partial class CompanyPlanner
{
    /// <summary>
    /// Orders, in phases: ceases of users removed, so their extensions are free again; then one order with everything
    /// structural (company, numbers, new sites) plus the first users; then, for users moving site, a cease order each
    /// followed at once by the order making them again (their outage); then the remaining user changes in
    /// parallel orders of at most N users; then ceases of sites and number blocks once their users are gone. Where BT's
    /// uniqueness rules need it (<see cref="UniquenessCheck"/>), a site cease moves before the structural order, and users
    /// taking a value another user's change frees follow in later orders.
    /// </summary>
    private ImmutableArray<PlanStep> BuildSteps(PlanPart part, bool isNew, ImmutableArray<StepId> inFlightAwaits, UniquenessResult clashes, Dictionary<ResourceAddress, string> reasons)
    {
        if (part.Steps.IsEmpty && part.Structural.IsEmpty && part.UserOperations.IsEmpty && part.UserCeases.IsEmpty && part.StructuralCeases.IsEmpty)
        {
            // Nothing to order and no order carried from an earlier run (a company BT already matches): no steps.
            return [];
        }

        var steps = part.Steps.ToList();
        var preparation = new List<StepId>();
        // Only a new order that adds the company consumes a qualification; one an earlier run created has used its own.
        var addsCompany = part.Structural.Any(o => o.Address.Kind == ResourceKind.Company);
        if (isNew && (addsCompany || steps.Any(s => s is RingFenceStep or PortedRingFenceStep)) && NeedsQualification(addsCompany))
        {
            steps.Insert(0, new QualifyStep(
                company,
                $"Qualify company {desired.Company.Name} ({desired.Company.Domain}) for CUG {desired.Reseller.CugId}",
                []));
        }
        else
        {
            // The qualification held is still valid: nothing waits for a qualify step that is not in the plan.
            var qualify = StepId.Qualify(company);
            for (var i = 0; i < steps.Count; i++)
            {
                if (steps[i].DependsOn.Contains(qualify))
                {
                    steps[i] = steps[i] with { DependsOn = steps[i].DependsOn.Remove(qualify) };
                }
            }
        }

        preparation.AddRange(steps.Where(s => s is QualifyStep or RingFenceStep or PortedRingFenceStep or CreateAddressStep).Select(s => s.Id));
        var limit = Math.Max(1, options.MaxUsersPerOrder);
        var number = 0;
        var previous = inFlightAwaits;

        ImmutableArray<StepId> AddOrders(IEnumerable<ImmutableArray<OrderOperation>> orders, ImmutableArray<StepId> dependsOn)
        {
            var awaits = ImmutableArray.CreateBuilder<StepId>();
            foreach (var operations in orders)
            {
                number++;
                var orderSteps = Planner.StepsForOrder(company, number, new Planner.OrderPhase(operations, dependsOn), [.. preparation], Summarise(operations));
                steps.AddRange(orderSteps);
                awaits.Add(orderSteps[^1].Id);
            }

            return awaits.Count == 0 ? dependsOn : awaits.ToImmutable();
        }

        // A site whose name or location code a new site takes is ceased before that create (its users go first).
        var earlyCeases = part.StructuralCeases.Where(o => clashes.EarlyCeases.Contains(o.Address)).ToImmutableArray();
        var earlySites = earlyCeases.Where(o => o.Address.Kind == ResourceKind.Site).Select(o => o.Address.Name).ToHashSet(StringComparer.Ordinal);
        // Users moving between sites (ceased and made again) are each ceased in the order right before the one making
        // them again, so that they are without service for those two orders only, and never before a change they wait for.
        var userCeases = part.UserCeases.Select(c => c.Address).ToHashSet();
        var moving = part.UserOperations.Where(o => o.Kind == OrderOperationKind.Add && userCeases.Contains(o.Address)).Select(o => o.Address).ToList();
        string? OldSite(ResourceAddress user) => view.Users.GetValueOrDefault(user.Name)?.Site;
        bool FromEarlySite(ResourceAddress user) => OldSite(user) is { } site && earlySites.Contains(site);
        // Leaving a site ceased early: ceased in that site's order (BT ceases a site's users first, within the order),
        // made again in the next, the structural order that creates the site taking its name or code.
        var bound = moving.Where(a => FromEarlySite(a) && clashes.WaveOf(a) == 0).ToList();
        var movers = moving.Where(a => !FromEarlySite(a) && clashes.WaveOf(a) == 0).ToHashSet();
        // Waiting for another user's change: ceased only once that change is done, unless another user's operation
        // takes a value the mover holds (that one needs the cease first).
        // What the user operations take is worked out once, and only when such a mover exists: most plans move nobody.
        List<(ResourceAddress User, string Value)>? wanted = null;
        bool TakenByAnother(ResourceAddress mover, string value) => (wanted ??= WantedValues(part.UserOperations)).Any(w => w.User != mover && w.Value == value);
        var late = moving.Where(a => !FromEarlySite(a) && clashes.WaveOf(a) > 0 && !HeldValues(a).Any(v => TakenByAnother(a, v))).ToHashSet();
        foreach (var user in moving.Where(a => !bound.Contains(a) && !movers.Contains(a) && !late.Contains(a)))
        {
            reasons[user] = FromEarlySite(user)
                ? $"its old site '{OldSite(user)}' is ceased before its new site is created, which needs it gone first, and its re-create waits for another user's change that frees a value it takes"
                : "another user in this plan takes a value it holds, so it is ceased first, and its re-create waits for another user's change that frees a value it takes";
        }

        // If a mover's re-create in the structural order took a value another mover holds until its later cease, BT would refuse it.
        if (bound.Count > 0 && bound.Any(b => WantedValues(part.UserOperations.Where(o => o.Address == b && o.Kind == OrderOperationKind.Add)).Any(w => movers.Concat(late).Any(m => HeldValues(m).Contains(w.Value)))))
        {
            foreach (var user in movers.Concat(late))
            {
                reasons[user] = "a user leaving a site ceased early, made again in the order creating its new site, may take a value it holds, so it is ceased first";
            }

            movers.Clear();
            late.Clear();
        }

        previous = AddOrders(part.UserCeases.Where(o => !movers.Contains(o.Address) && !late.Contains(o.Address) && !bound.Contains(o.Address)).Chunk(limit).Select(c => c.ToImmutableArray()), previous);
        var boundChunks = bound.Chunk(limit).ToList();
        if (earlyCeases.Length > 0)
        {
            // The first chunk of leavers goes with the site cease, to be made again in the very next order; the others
            // (over the per-order limit) are ceased before it and made again after.
            previous = AddOrders(boundChunks.Skip(1).Select(c => part.UserCeases.Where(o => c.Contains(o.Address)).ToImmutableArray()), previous);
            previous = AddOrders([[.. part.UserCeases.Where(o => boundChunks.Count > 0 && boundChunks[0].Contains(o.Address)), .. earlyCeases]], previous);
            foreach (var user in boundChunks.Skip(1).SelectMany(c => c))
            {
                reasons[user] = string.Create(CultureInfo.InvariantCulture, $"its old site '{OldSite(user)}' is ceased before its new site is created, and only once all its users are gone, at most {limit} per order: it is made again after those ceased with the site");
            }
        }

        // Users taking a value another user's change frees come in later waves, each after the orders of the one before.
        var firstWave = part.UserOperations.Where(o => clashes.WaveOf(o.Address) == 0 && !movers.Contains(o.Address) && !bound.Contains(o.Address)).ToList();
        var remainingUsers = firstWave.AsEnumerable();
        ImmutableArray<OrderOperation> BoundAdds(ResourceAddress[] chunk) => [.. part.UserOperations.Where(o => o.Kind == OrderOperationKind.Add && chunk.Contains(o.Address))];
        if (part.Structural.Length > 0)
        {
            // With users moving, the structural order (which may make their new sites) adds no other users: one could
            // take a value a mover holds until its cease.
            var together = movers.Count == 0 && bound.Count == 0 ? limit : 0;
            var first = part.Structural.Concat(boundChunks.Count > 0 ? BoundAdds(boundChunks[0]) : []).Concat(firstWave.Take(together)).ToImmutableArray();
            remainingUsers = firstWave.Skip(together);
            previous = AddOrders([first], previous);
        }

        previous = AddOrders(boundChunks.Skip(1).Select(BoundAdds), previous);
        ImmutableArray<StepId> Pairs(IEnumerable<ResourceAddress> users, ImmutableArray<StepId> after)
        {
            var made = new List<StepId>();
            foreach (var chunk in part.UserOperations.Where(o => o.Kind == OrderOperationKind.Add && users.Contains(o.Address)).Chunk(limit))
            {
                var inChunk = chunk.Select(o => o.Address).ToHashSet();
                var ceased = AddOrders([[.. part.UserCeases.Where(c => inChunk.Contains(c.Address))]], after);
                made.AddRange(AddOrders([[.. chunk]], ceased));
            }

            return made.Count == 0 ? after : [.. made];
        }

        previous = Pairs(movers, previous);
        var userAwaits = AddOrders(remainingUsers.Chunk(limit).Select(c => c.ToImmutableArray()), previous);
        var allUserAwaits = userAwaits;
        var lastWave = clashes.Waves.IsEmpty ? 0 : clashes.Waves.Values.Max();
        for (var wave = 1; wave <= lastWave; wave++)
        {
            var inWave = part.UserOperations.Where(o => clashes.WaveOf(o.Address) == wave).Select(o => o.Address).ToList();
            var paired = Pairs(inWave.Where(late.Contains), userAwaits);
            var others = AddOrders(part.UserOperations.Where(o => clashes.WaveOf(o.Address) == wave && !late.Contains(o.Address)).Chunk(limit).Select(c => c.ToImmutableArray()), userAwaits);
            userAwaits = [.. paired.Concat(others).Distinct()];
            allUserAwaits = [.. allUserAwaits.Concat(userAwaits).Distinct()];
        }

        var lateCeases = part.StructuralCeases.RemoveAll(earlyCeases.Contains);
        if (lateCeases.Length > 0)
        {
            AddOrders([lateCeases], allUserAwaits);
        }

        return [.. steps];
    }

    /// <summary>What the given user operations take, by user (numbers as the plan assigns them).</summary>
    private List<(ResourceAddress User, string Value)> WantedValues(IEnumerable<OrderOperation> operations)
    {
        var numbers = Numbers;
        var specs = desired.AllUsers().ToDictionary(p => p.User.Username, p => p.User, StringComparer.Ordinal);
        return [.. operations
            .Where(o => o.Address.Kind == ResourceKind.User && o.Kind != OrderOperationKind.Cease && specs.ContainsKey(o.Address.Name))
            .SelectMany(o => UniquenessCheck.Keys(o.Address.Name, specs[o.Address.Name].Extension, [.. specs[o.Address.Name].Devices.Select(d => d.MacAddress)], numbers.GetValueOrDefault(o.Address.Name)).Select(v => (o.Address, v)))];
    }

    /// <summary>What a user holds at BT now.</summary>
    private HashSet<string> HeldValues(ResourceAddress user) =>
        view.Users.GetValueOrDefault(user.Name) is { } held
            ? [.. UniquenessCheck.Keys(held.Username, held.Extension, held.DeviceMacAddresses, held.DirectoryNumber)]
            : [];

    private bool NeedsQualification(bool unused) => QualificationExpiry.NeedsNew(view.Qualification, unused, now, TimeSpan.Zero);

    private static string Summarise(ImmutableArray<OrderOperation> operations) =>
        string.Join(", ", operations.GroupBy(o => o.Kind).Select(g =>
            (g.Key switch { OrderOperationKind.Add => "add ", OrderOperationKind.Modify => "modify ", _ => "cease " })
            + string.Join(", ", g.Select(o => o.Address.Kind == ResourceKind.Company ? "company" : $"{ResourceAddress.KindSegment(o.Address.Kind)} {o.Address.Name}"))));
}
