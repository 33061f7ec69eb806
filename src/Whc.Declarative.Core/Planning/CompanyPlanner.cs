using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>Plans one company towards its manifest. One instance per company and plan; not reusable.</summary>
internal sealed class CompanyPlanner
{
    private readonly CompanyPlanInput input;
    private readonly CompanyManifest desired;
    private readonly PlannerOptions options;
    private readonly DateTimeOffset now;
    private readonly CurrentView view;
    private readonly string company;
    private readonly List<ResourceChange> changes = [];
    private readonly List<Diagnostic> diagnostics = [];
    private readonly List<OrderOperation> structural = [];
    private readonly List<OrderOperation> userOperations = [];
    private readonly List<OrderOperation> userCeases = [];
    private readonly SortedDictionary<string, string> reservedNumbers = new(StringComparer.Ordinal);
    private readonly List<OrderOperation> structuralCeases = [];
    private readonly List<PlanStep> steps = [];
    private readonly SortedDictionary<string, string> nadKeys = new(StringComparer.Ordinal);
    // Resources an unfinished order of an earlier run acts on, with what it does to them (null: an order recorded by an
    // older whcctl, which kept no kinds), and the ringfenced ranges such orders activate.
    private readonly Dictionary<ResourceAddress, OrderOperationKind?> inFlight = [];
    private readonly HashSet<string> inFlightRanges = new(StringComparer.Ordinal);
    private bool inFlightRangesKnown = true;
    private readonly List<string> inFlightAwaits = [];

    public CompanyPlanner(CompanyPlanInput input, CompanyManifest desired, PlannerOptions options, DateTimeOffset now)
    {
        this.input = input;
        this.desired = desired;
        this.options = options;
        this.now = now;
        company = input.Company;
        // A company BT holds that is not this state's counts as nothing existing (CurrentView), so it is never changed
        // by mistake; PlanCompany reports the collision (WHC3001).
        view = CurrentView.From(input.State, input.Refresh);
    }

    public CompanyPlan Plan()
    {
        CarryInFlightOrders();
        var isNew = PlanCompany();
        PlanNumberBlocks(isNew);
        PlanSites();
        PlanUsers();
        ApplyTargets(isNew);
        BuildSteps(isNew);
        return new CompanyPlan(
            company,
            desired,
            input.State?.Serial ?? 0,
            input.State?.Lineage,
            input.Refresh?.Fingerprint() ?? "none",
            [.. changes],
            [.. steps],
            nadKeys.ToImmutableSortedDictionary(StringComparer.Ordinal),
            [.. diagnostics])
        {
            ReservedNumbers = reservedNumbers.ToImmutableSortedDictionary(StringComparer.Ordinal),
        };
    }

    private ResourceAddress Address(ResourceKind kind, string name) => new(company, kind, name);

    /// <summary>
    /// Orders created by an earlier apply that have not finished are carried into this plan as they are, never
    /// re-created: their resources are left out of new orders, which all wait for them. (An order whose creation was
    /// interrupted is no longer a question here: the intent was answered from BT before planning.)
    /// </summary>
    private void CarryInFlightOrders()
    {
        var state = input.State;
        if (state is null)
        {
            return;
        }

        foreach (var order in state.Orders.Where(o => !IsFinal(o)))
        {
            var refreshed = input.Refresh?.Orders.GetValueOrDefault(order.Id);
            if (refreshed is { State: OrderState.Failed or OrderState.Rejected or OrderState.Partial })
            {
                diagnostics.Add(DiagnosticCatalog.OrderFailedReplanned.At(
                    desired.Span, $"order {order.Id} {refreshed.State.ToString().ToLowerInvariant()}: {refreshed.FailureReason ?? "no reason given"}; its changes are planned again"));
                continue;
            }

            // Even an order refresh read as completed stays in flight: the company was read before the order, so the
            // inventory may not show what it did yet. Its await costs one read.
            foreach (var resource in order.Resources.Select(ParseAddress).OfType<ResourceAddress>())
            {
                inFlight[resource] = order.Operations.FirstOrDefault(o => o.Address == resource)?.Kind;
            }

            inFlightRanges.UnionWith(order.NumberRanges);
            inFlightRangesKnown &= !order.Operations.IsDefaultOrEmpty;

            var prefix = $"{company}:order-{order.Id}";
            var details = new StepDetails(OrderId: order.Id, Operations: order.Operations);
            var awaitDependsOn = ImmutableArray<string>.Empty;
            if ((refreshed?.State ?? order.State) == OrderState.Pending)
            {
                steps.Add(new PlanStep($"{prefix}:submit", StepKind.SubmitOrder, company, $"Submit order {order.Id} (created by an earlier apply)", [], details));
                awaitDependsOn = [$"{prefix}:submit"];
            }

            steps.Add(new PlanStep($"{prefix}:await", StepKind.AwaitOrder, company, $"Await order {order.Id} (created by an earlier apply) until completed", awaitDependsOn, details));
            inFlightAwaits.Add($"{prefix}:await");
        }
    }

    /// <summary>Whether an unfinished order already ceases the resource (or, for an older order, acts on it at all).</summary>
    private bool CeasedInFlight(ResourceAddress address) =>
        inFlight.TryGetValue(address, out var kind) && kind is null or OrderOperationKind.Cease;

    /// <summary>Whether an unfinished order adds or changes the resource, so that it exists once the order is done.</summary>
    private bool AddedInFlight(ResourceAddress address) =>
        inFlight.TryGetValue(address, out var kind) && kind is OrderOperationKind.Add or OrderOperationKind.Modify;

    private static bool IsFinal(OrderRecord order) =>
        order.State is OrderState.Completed or OrderState.Failed or OrderState.Partial or OrderState.Rejected;

    private static ResourceAddress? ParseAddress(string text) => ResourceAddress.TryParse(text, out var address) ? address : null;

    private bool PlanCompany()
    {
        var details = desired.Company;
        var address = ResourceAddress.ForCompany(company);
        if (!view.CompanyActive)
        {
            var inventory = input.Refresh?.Inventory;
            var ours = Ownership.IsOurs(input.State, inventory);
            if (inventory is not null && !ours && inventory.Status != Inventory.CompanyStatus.Ceased)
            {
                diagnostics.Add(DiagnosticCatalog.CompanyAlreadyRegistered.At(
                    desired.Span,
                    inventory.IsRegisteredElsewhere
                        ? $"company name '{details.Name}' is already registered at BT by another reseller; choose another name"
                        : $"company name '{details.Name}' is already registered at BT but is not in whcctl's state; if it is yours, run 'whcctl import {company}' to adopt it, otherwise choose another name"));
            }

            if (input.Refresh?.DomainTaken == true && !ours)
            {
                diagnostics.Add(DiagnosticCatalog.DomainAlreadyRegistered.At(desired.Span, $"company domain '{details.Domain}' is already registered at BT"));
            }

            if (!inFlight.ContainsKey(address))
            {
                changes.Add(new ResourceChange(address, ChangeAction.Create, "new company", Planner.Diff([], CompanyAttributes(details))));
                structural.Add(new OrderOperation(address, OrderOperationKind.Add));
            }

            var qualification = view.Qualification;
            if (qualification?.ExpiresAt is { } expires && expires > now && expires - now < options.QualificationWarningWindow)
            {
                diagnostics.Add(DiagnosticCatalog.QualificationExpiring.At(
                    desired.Span,
                    $"qualification {qualification.Id} expires at {expires.ToString("u", CultureInfo.InvariantCulture)}; if apply runs after that, whcctl qualifies again"));
            }

            return true;
        }

        var record = view.Record;
        var before = record is null ? [] : CompanyAttributes(new CompanyDetails(record.Name, record.Domain, record.CustomerGroup, null, null));
        var diff = Planner.Diff(before, CompanyAttributes(details));
        foreach (var change in diff)
        {
            diagnostics.Add(DiagnosticCatalog.ImmutableFieldChanged.At(
                desired.Span,
                $"company '{company}': {change.Name} cannot be changed at BT ('{change.Before}' → '{change.After}'); a new company needs a new manifest"));
        }

        changes.Add(new ResourceChange(address, ChangeAction.NoOp, "unchanged", []));
        return false;
    }

    private static ImmutableArray<(string Name, string? Value)> CompanyAttributes(CompanyDetails details) =>
        [("name", details.Name), ("domain", details.Domain), ("customerGroup", details.CustomerGroup)];

    private void PlanNumberBlocks(bool isNew)
    {
        foreach (var block in desired.NumberBlocks)
        {
            var address = Address(ResourceKind.NumberBlock, block.Name);
            var current = view.Blocks.GetValueOrDefault(block.Name);
            var have = current?.RingfencedCount ?? 0;
            if (current is not null && current.AreaCode != block.AreaCode)
            {
                diagnostics.Add(DiagnosticCatalog.ImmutableFieldChanged.At(block.Span, $"number block '{block.Name}': areaCode cannot change ('{current.AreaCode}' → '{block.AreaCode}'); add a new block instead"));
                continue;
            }

            if (have > block.Quantity)
            {
                diagnostics.Add(DiagnosticCatalog.NumberBlockShrunk.At(block.Span, $"number block '{block.Name}' holds {have} numbers; its quantity cannot shrink to {block.Quantity} (cease the block and add a smaller one)"));
                continue;
            }

            var allActive = current is not null && current.Ranges.All(r => r.Active);
            if (have == block.Quantity && allActive)
            {
                changes.Add(new ResourceChange(address, ChangeAction.NoOp, "unchanged", []));
                continue;
            }

            // A block an unfinished order activates needs nothing more unless it has grown (then the difference is
            // ringfenced now), or holds a range the order does not activate (ringfenced after the order was made): a
            // new order activates those, after the unfinished one.
            var uncovered = current is not null && inFlightRangesKnown && current.Ranges.Any(r => !r.Active && !inFlightRanges.Contains(r.StartNumber));
            if (inFlight.ContainsKey(address) && have >= block.Quantity && !uncovered)
            {
                changes.Add(new ResourceChange(address, current is null ? ChangeAction.Create : ChangeAction.Update, "in an order still being processed", []));
                continue;
            }

            var reason = current is null || current.Ranges.IsEmpty ? "new number block"
                : have < block.Quantity ? $"quantity {have} → {block.Quantity}"
                : "numbers ringfenced but not yet ordered";
            var action = current is null || current.Ranges.IsEmpty ? ChangeAction.Create : ChangeAction.Update;
            var ranges = current is null ? null : string.Join(", ", current.Ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber).ToCompactString()));
            changes.Add(new ResourceChange(address, action, reason, Planner.Diff(
                current is null ? [] : [("areaCode", current.AreaCode), ("quantity", Planner.Count(have)), ("numbers", ranges)],
                [("areaCode", block.AreaCode), ("quantity", Planner.Count(block.Quantity)), ("numbers", have < block.Quantity ? $"{ranges}{(string.IsNullOrEmpty(ranges) ? string.Empty : " + ")}(known after ringfence)" : ranges)])));
            structural.Add(new OrderOperation(address, OrderOperationKind.Add));
            if (have < block.Quantity)
            {
                steps.Add(new PlanStep(
                    $"{company}:ringfence:{block.Name}",
                    StepKind.RingFence,
                    company,
                    string.Create(CultureInfo.InvariantCulture, $"Ringfence {block.Quantity - have} numbers in area code {block.AreaCode} for block {block.Name}"),
                    isNew ? [$"{company}:qualify"] : [],
                    new StepDetails(NumberBlock: block.Name, Quantity: block.Quantity - have)));
            }
        }

        foreach (var (name, current) in view.Blocks.Where(kv => desired.NumberBlocks.All(b => b.Name != kv.Key)))
        {
            var address = Address(ResourceKind.NumberBlock, name);
            if (current.Ranges.Any(r => r.Active) || AddedInFlight(address))
            {
                if (PlanCease(address, current.Protected))
                {
                    structuralCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
                }
            }
            else if (!inFlight.ContainsKey(address))
            {
                // Ringfenced but never ordered (or nothing left at BT): no order can cease numbers no product holds,
                // and no call BT documents gives ringfenced numbers back, so state lets the block go and says what
                // BT keeps reserved for the company.
                var numbers = string.Join(", ", current.Ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber).ToCompactString()));
                changes.Add(new ResourceChange(
                    address,
                    ChangeAction.Forget,
                    numbers.Length > 0 ? $"never ordered; dropped from state (BT keeps {numbers} ringfenced to the company: no call gives them back)" : "nothing of it left at BT; dropped from state",
                    []));
            }
        }
    }

    /// <summary>Plans the cease of a resource removed from the manifest; true when an order must cease it.</summary>
    private bool PlanCease(ResourceAddress address, bool isProtected)
    {
        if (isProtected)
        {
            diagnostics.Add(DiagnosticCatalog.ProtectedResourceDelete.At(desired.Span, $"{address} is protected and cannot be ceased; put it back in the manifest, or remove its protection first"));
            return false;
        }

        changes.Add(new ResourceChange(address, ChangeAction.Delete, "removed from manifest", []));
        return !CeasedInFlight(address);
    }

    /// <summary>Users are ceased before anything is added (freeing their extensions), and their numbers stay reserved.</summary>
    private void CeaseUser(ResourceAddress address, UserState current)
    {
        userCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
        if (current.DirectoryNumber is { } number)
        {
            reservedNumbers[current.Username] = number;
        }
    }

    private void PlanSites()
    {
        foreach (var site in desired.Sites)
        {
            var address = Address(ResourceKind.Site, site.Name);
            var current = view.Sites.GetValueOrDefault(site.Name);
            if (current?.ServiceId is not null)
            {
                if (current.LocationCode != site.LocationCode)
                {
                    diagnostics.Add(DiagnosticCatalog.ImmutableFieldChanged.At(site.Span, $"site '{site.Name}': locationCode cannot change ('{current.LocationCode}' → '{site.LocationCode}')"));
                }

                if (site.Address.HasNadKey && site.Address.NadKey != current.NadKey)
                {
                    diagnostics.Add(DiagnosticCatalog.ImmutableFieldChanged.At(site.Span, $"site '{site.Name}': its address (NAD key {current.NadKey}) cannot change; add a new site instead"));
                }
                else if (!site.Address.HasNadKey && current.FoundBy is { } foundBy && !AddressMatcher.SameAddress(foundBy, site.Address))
                {
                    diagnostics.Add(DiagnosticCatalog.ImmutableFieldChanged.At(
                        site.Span,
                        $"site '{site.Name}': its address cannot change ('{foundBy.Premises}, {foundBy.Postcode}' → '{site.Address.Premises}, {site.Address.Postcode}', NAD key {current.NadKey}); add a new site instead"));
                }

                changes.Add(new ResourceChange(address, ChangeAction.NoOp, "unchanged", []));
                continue;
            }

            var nadKey = ResolveNadKey(site, current);
            var attributes = Planner.Diff([], [("locationCode", site.LocationCode), ("nadKey", nadKey ?? "(known after address step)")]);
            if (inFlight.ContainsKey(address))
            {
                changes.Add(new ResourceChange(address, ChangeAction.Create, "in an order still being processed", attributes));
                continue;
            }

            changes.Add(new ResourceChange(address, ChangeAction.Create, "new site", attributes));
            structural.Add(new OrderOperation(address, OrderOperationKind.Add));
            if (nadKey is null)
            {
                steps.Add(new PlanStep(
                    $"{company}:address:{site.Name}",
                    StepKind.CreateAddress,
                    company,
                    $"Find or create the address of site {site.Name} ({site.Address.Postcode}, {site.Address.Premises})",
                    [],
                    new StepDetails(Site: site.Name)));
            }
            else
            {
                nadKeys[site.Name] = nadKey;
            }
        }

        foreach (var (name, current) in view.Sites.Where(kv => desired.Sites.All(s => s.Name != kv.Key)))
        {
            var address = Address(ResourceKind.Site, name);
            if (current.ServiceId is not null || AddedInFlight(address))
            {
                // At BT, or will be once an unfinished order is done: ceased (after that order).
                if (PlanCease(address, current.Protected))
                {
                    structuralCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
                }
            }
            else if (!inFlight.ContainsKey(address))
            {
                // Its address was found but it was never ordered: nothing at BT to cease, so state simply lets it go.
                changes.Add(new ResourceChange(
                    address,
                    ChangeAction.Forget,
                    current.NadKey.Length > 0 ? $"never ordered; dropped from state (the address it was to use, NAD key {current.NadKey}, stays at BT unused)" : "never ordered; dropped from state",
                    []));
            }
        }
    }

    private string? ResolveNadKey(SiteSpec site, SiteState? pending)
    {
        if (site.Address.HasNadKey)
        {
            return site.Address.NadKey;
        }

        // A NAD key an address step already found is used, unless the manifest has since named another address.
        if (pending is not null && pending.NadKey.Length > 0 && (pending.FoundBy is null || AddressMatcher.SameAddress(pending.FoundBy, site.Address)))
        {
            return pending.NadKey;
        }

        var postcode = site.Address.Postcode;
        if (postcode is null || input.Refresh is null || !input.Refresh.AddressesByPostcode.TryGetValue(postcode, out var candidates))
        {
            return null;
        }

        var matches = candidates.Where(a => AddressMatcher.Matches(a, site.Address)).ToList();
        if (matches.Count > 1)
        {
            diagnostics.Add(DiagnosticCatalog.SiteAddressAmbiguous.At(
                site.Span,
                $"site '{site.Name}': {matches.Count} addresses at {postcode} match '{site.Address.Premises}' ({string.Join(", ", matches.Select(m => m.NadKey))}); set address.nadKey to choose one"));
        }

        return matches.Count == 0 ? null : matches[0].NadKey;
    }

    private void PlanUsers()
    {
        var numbers = NumberAssignment.Assign(desired, view.RangesByBlock(), view.HeldNumbers());
        var taken = input.Refresh?.TakenUsernames ?? [];
        var wanted = desired.Sites.SelectMany(s => s.Users.Select(u => (Site: s, User: u))).ToList();
        foreach (var (site, user) in wanted)
        {
            var address = Address(ResourceKind.User, user.Username);
            var current = view.Users.GetValueOrDefault(user.Username);
            var number = user.Number is null ? null : numbers.GetValueOrDefault(user.Username);
            var wantedBlock = user.Number is null ? null : desired.NumberBlocks.FirstOrDefault(b => b.Name == user.Number.From);
            var fullyRingfenced = wantedBlock is not null && view.Blocks.TryGetValue(wantedBlock.Name, out var block) && block.RingfencedCount >= wantedBlock.Quantity;
            if (user.Number is not null && number is null && fullyRingfenced)
            {
                diagnostics.Add(DiagnosticCatalog.NumberBlockTooSmall.At(user.Span, $"user '{user.Username}': no free number left in block '{user.Number.From}'"));
            }

            var after = UserAttributes(site.Name, user, number ?? (user.Number is null ? null : "(known after ringfence)"));
            if (inFlight.TryGetValue(address, out var inFlightKind) && inFlightKind != OrderOperationKind.Cease)
            {
                changes.Add(new ResourceChange(address, current is null ? ChangeAction.Create : ChangeAction.Update, "in an order still being processed", []));
                continue;
            }

            if (current?.ServiceId is null || inFlightKind == OrderOperationKind.Cease)
            {
                // New, or being ceased by an unfinished order and wanted again: added (after that order).
                if (taken.Contains(user.Username))
                {
                    diagnostics.Add(DiagnosticCatalog.UsernameTaken.At(user.Span, $"username '{user.Username}' is already registered at BT"));
                }

                changes.Add(new ResourceChange(address, ChangeAction.Create, "new user", Planner.Diff([], after)));
                userOperations.Add(new OrderOperation(address, OrderOperationKind.Add));
                continue;
            }

            if (current.Site != site.Name && (current.Protected || user.Protect))
            {
                diagnostics.Add(DiagnosticCatalog.ProtectedResourceDelete.At(
                    user.Span,
                    $"{address} is protected and cannot be ceased, which moving it from site {current.Site} to {site.Name} needs (BT cannot move a user between sites); remove its protection first"));
                continue;
            }

            if (current.Site != site.Name)
            {
                changes.Add(new ResourceChange(address, ChangeAction.Replace, $"moves from site {current.Site} to {site.Name}: BT cannot move a user between sites", Planner.Diff(Planner.UserAttributes(current), after)));
                CeaseUser(address, current);
                userOperations.Add(new OrderOperation(address, OrderOperationKind.Add));
                continue;
            }

            var diff = Planner.Diff(Planner.UserAttributes(current), after);
            if (diff.Length == 0)
            {
                changes.Add(new ResourceChange(address, ChangeAction.NoOp, "unchanged", []));
                continue;
            }

            changes.Add(new ResourceChange(address, ChangeAction.Update, string.Join(", ", diff.Select(d => d.Name)) + " changed", diff));
            userOperations.Add(new OrderOperation(address, OrderOperationKind.Modify));
        }

        var wantedNames = wanted.Select(w => w.User.Username).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, current) in view.Users.Where(kv => kv.Value.ServiceId is not null && !wantedNames.Contains(kv.Key)))
        {
            if (PlanCease(Address(ResourceKind.User, name), current.Protected))
            {
                CeaseUser(Address(ResourceKind.User, name), current);
            }
        }

        // Users an unfinished order adds though the manifest no longer names them: ceased once that order is done.
        foreach (var address in inFlight.Keys.Where(a => a.Kind == ResourceKind.User && !wantedNames.Contains(a.Name) && !view.Users.ContainsKey(a.Name) && AddedInFlight(a)))
        {
            if (PlanCease(address, isProtected: false))
            {
                userCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
            }
        }
    }

    private static ImmutableArray<(string Name, string? Value)> UserAttributes(string site, UserSpec user, string? number) =>
        Planner.UserAttributes(new UserState(
            user.Username, site, user.FirstName, user.LastName, user.Extension, user.Number?.From, number, user.Licence,
            [.. user.Devices.Select(d => d.MacAddress).Order(StringComparer.Ordinal)], null));

    /// <summary>--target: keep only changes inside a target. A new company cannot be created in part, so it stays whole.</summary>
    private void ApplyTargets(bool isNew)
    {
        var targets = options.Targets.Where(t => t.Company == company).ToList();
        if (options.Targets.IsDefaultOrEmpty)
        {
            return;
        }

        if (targets.Count == 0)
        {
            changes.RemoveAll(c => c.Action != ChangeAction.NoOp);
            structural.Clear();
            userOperations.Clear();
            userCeases.Clear();
            structuralCeases.Clear();
            steps.Clear();
            return;
        }

        if (isNew)
        {
            return;
        }

        // A targeted user that is added needs its site and number block: when those are still to be made, they come too.
        var added = userOperations.Where(o => o.Kind == OrderOperationKind.Add && targets.Any(t => t.Contains(o.Address))).Select(o => o.Address.Name).ToHashSet(StringComparer.Ordinal);
        var needed = desired.AllUsers()
            .Where(p => added.Contains(p.User.Username))
            .SelectMany(p => p.User.Number is null
                ? [Address(ResourceKind.Site, p.Site.Name)]
                : new[] { Address(ResourceKind.Site, p.Site.Name), Address(ResourceKind.NumberBlock, p.User.Number.From) })
            .ToHashSet();
        bool Targeted(ResourceAddress address) => needed.Contains(address) || targets.Any(t => t.Contains(address));
        changes.RemoveAll(c => c.Action != ChangeAction.NoOp && !Targeted(c.Address));
        structural.RemoveAll(o => !Targeted(o.Address));
        userOperations.RemoveAll(o => !Targeted(o.Address));
        userCeases.RemoveAll(o => !Targeted(o.Address));
        structuralCeases.RemoveAll(o => !Targeted(o.Address));
        steps.RemoveAll(s => s.Kind is StepKind.RingFence && !Targeted(Address(ResourceKind.NumberBlock, s.Details.NumberBlock ?? string.Empty)));
        steps.RemoveAll(s => s.Kind is StepKind.CreateAddress && !Targeted(Address(ResourceKind.Site, s.Details.Site ?? string.Empty)));
    }

    /// <summary>
    /// Orders, in phases: ceases of users (removed, or moving site), so their extensions are free again; then one order
    /// with everything structural (company, numbers, new sites) plus the first users; then the remaining user changes in
    /// parallel orders of at most N users; then ceases of sites and number blocks once their users are gone.
    /// </summary>
    private void BuildSteps(bool isNew)
    {
        var preparation = new List<string>();
        // Only a new order that adds the company consumes a qualification; one an earlier run created has used its own.
        var addsCompany = structural.Any(o => o.Address.Kind == ResourceKind.Company);
        if (isNew && (addsCompany || steps.Any(s => s.Kind == StepKind.RingFence)) && NeedsQualification(addsCompany))
        {
            steps.Insert(0, new PlanStep(
                $"{company}:qualify",
                StepKind.Qualify,
                company,
                $"Qualify company {desired.Company.Name} ({desired.Company.Domain}) for CUG {desired.Reseller.CugId}",
                [],
                new StepDetails()));
        }
        else
        {
            // The qualification held is still valid: nothing waits for a qualify step that is not in the plan.
            var qualify = $"{company}:qualify";
            for (var i = 0; i < steps.Count; i++)
            {
                if (steps[i].DependsOn.Contains(qualify))
                {
                    steps[i] = steps[i] with { DependsOn = steps[i].DependsOn.Remove(qualify) };
                }
            }
        }

        preparation.AddRange(steps.Where(s => s.Kind is StepKind.Qualify or StepKind.RingFence or StepKind.CreateAddress).Select(s => s.Id));
        var limit = Math.Max(1, options.MaxUsersPerOrder);
        var number = 0;
        var previous = inFlightAwaits.ToImmutableArray();

        ImmutableArray<string> AddOrders(IEnumerable<ImmutableArray<OrderOperation>> orders, ImmutableArray<string> dependsOn)
        {
            var awaits = ImmutableArray.CreateBuilder<string>();
            foreach (var operations in orders)
            {
                number++;
                var orderSteps = Planner.StepsForOrder(company, number, new Planner.OrderPhase(operations, dependsOn), [.. preparation], Summarise(operations));
                steps.AddRange(orderSteps);
                awaits.Add(orderSteps[^1].Id);
            }

            return awaits.Count == 0 ? dependsOn : awaits.ToImmutable();
        }

        previous = AddOrders(userCeases.Chunk(limit).Select(c => c.ToImmutableArray()), previous);
        var remainingUsers = userOperations.AsEnumerable();
        if (structural.Count > 0)
        {
            var first = structural.Concat(userOperations.Take(limit)).ToImmutableArray();
            remainingUsers = userOperations.Skip(limit);
            previous = AddOrders([first], previous);
        }

        var userAwaits = AddOrders(remainingUsers.Chunk(limit).Select(c => c.ToImmutableArray()), previous);
        if (structuralCeases.Count > 0)
        {
            AddOrders([[.. structuralCeases]], userAwaits);
        }
    }

    private bool NeedsQualification(bool unused) => QualificationExpiry.NeedsNew(view.Qualification, unused, now, TimeSpan.Zero);

    private static string Summarise(ImmutableArray<OrderOperation> operations) =>
        string.Join(", ", operations.GroupBy(o => o.Kind).Select(g =>
            (g.Key switch { OrderOperationKind.Add => "add ", OrderOperationKind.Modify => "modify ", _ => "cease " })
            + string.Join(", ", g.Select(o => o.Address.Kind == ResourceKind.Company ? "company" : $"{ResourceAddress.KindSegment(o.Address.Kind)} {o.Address.Name}"))));
}
