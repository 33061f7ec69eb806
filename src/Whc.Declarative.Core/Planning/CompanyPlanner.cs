using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// Plans one company towards its manifest, in passes that each return their part of the plan (<see cref="PlanPart"/>).
/// One instance per company and plan.
/// </summary>
internal sealed class CompanyPlanner
{
    private readonly CompanyPlanInput input;
    private readonly CompanyManifest desired;
    private readonly PlannerOptions options;
    private readonly DateTimeOffset now;
    private readonly CurrentView view;
    private readonly string company;

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

    /// <summary>The plan, made in passes that each return their part: in-flight orders, company, blocks, sites, users; then targets and steps.</summary>
    public CompanyPlan Plan()
    {
        var (inFlight, carried) = CarryInFlightOrders();
        var (isNew, companyPart) = PlanCompany(inFlight);
        var draft = carried
            .Then(companyPart)
            .Then(PlanNumberBlocks(isNew, inFlight))
            .Then(PlanSites(inFlight))
            .Then(PlanUsers(inFlight));
        draft = ApplyTargets(draft, isNew);
        // Checked on what the plan will really do (after --target): what it leaves out stays at BT.
        var clashes = UniquenessCheck.Check(company, desired, view, draft.Structural, draft.UserOperations, draft.UserCeases, draft.StructuralCeases);
        draft = draft with { Diagnostics = draft.Diagnostics.AddRange(clashes.Diagnostics) };
        var reasons = new Dictionary<ResourceAddress, string>();
        var steps = BuildSteps(draft, isNew, inFlight.Awaits, clashes, reasons);
        return new CompanyPlan(
            company,
            desired,
            input.State?.Serial ?? 0,
            input.State?.Lineage,
            input.Refresh?.Fingerprint() ?? "none",
            draft.Changes,
            steps,
            draft.NadKeys,
            draft.Diagnostics)
        {
            ReservedNumbers = draft.ReservedNumbers,
            Outages = Outages(draft, steps, reasons),
        };
    }

    /// <summary>Users this plan ceases and makes again (moving between sites): the orders between which they have no service.</summary>
    private ImmutableArray<PlanOutage> Outages(PlanPart part, ImmutableArray<PlanStep> steps, IReadOnlyDictionary<ResourceAddress, string> reasons)
    {
        CreateOrderStep? OrderOf(ResourceAddress address, OrderOperationKind kind) =>
            steps.OfType<CreateOrderStep>().FirstOrDefault(s => s.Operations.Contains(new OrderOperation(address, kind)));

        var outages = ImmutableArray.CreateBuilder<PlanOutage>();
        var ceasedUsers = part.UserCeases.Select(c => c.Address).ToHashSet();
        foreach (var add in part.UserOperations.Where(o => o.Kind == OrderOperationKind.Add && ceasedUsers.Contains(o.Address)))
        {
            if (OrderOf(add.Address, OrderOperationKind.Cease) is { } ceased && OrderOf(add.Address, OrderOperationKind.Add) is { } made
                && view.Users.GetValueOrDefault(add.Address.Name) is { } current
                && desired.AllUsers().FirstOrDefault(p => p.User.Username == add.Address.Name) is { Site: { } site })
            {
                // Orders are numbered in plan order: any number between the two is an order between cease and re-create.
                var between = made.Number - ceased.Number - 1;
                outages.Add(new PlanOutage(add.Address, current.Site, site.Name, StepId.AwaitOrder(company, ceased.Order), StepId.AwaitOrder(company, made.Order))
                {
                    Why = between <= 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{between} other order(s) come between its cease and its re-create: {reasons.GetValueOrDefault(add.Address) ?? "its re-create waits for other changes"}"),
                });
            }
        }

        return outages.ToImmutable();
    }

    private ResourceAddress Address(ResourceKind kind, string name) => new(company, kind, name);

    /// <summary>
    /// Orders created by an earlier apply that have not finished are carried into this plan as they are, never
    /// re-created: their resources are left out of new orders, which all wait for them. (An order whose creation was
    /// interrupted is no longer a question here: the intent was answered from BT before planning.)
    /// </summary>
    private (InFlightOrders InFlight, PlanPart Part) CarryInFlightOrders()
    {
        var part = new PartBuilder();
        var kinds = new Dictionary<ResourceAddress, OrderOperationKind?>();
        var ranges = new HashSet<string>(StringComparer.Ordinal);
        var rangesKnown = true;
        var awaits = ImmutableArray.CreateBuilder<StepId>();
        foreach (var order in input.State?.Orders.Where(o => !o.IsFinal) ?? [])
        {
            var refreshed = input.Refresh?.Orders.GetValueOrDefault(order.Id);
            if (refreshed is not null && refreshed.State.EndedUndone())
            {
                part.Diagnostics.Add(DiagnosticCatalog.OrderEndedUndone.At(desired.Span, order.Id, refreshed.StateText, refreshed.FailureReason));
                continue;
            }

            // Even an order refresh read as completed stays in flight: the company was read before the order, so the
            // inventory may not show what it did yet. Its await costs one read.
            foreach (var resource in order.ResourceAddresses)
            {
                kinds[resource] = order.Operations.FirstOrDefault(o => o.Address == resource)?.Kind;
            }

            ranges.UnionWith(order.NumberRanges);
            rangesKnown &= !order.Operations.IsDefaultOrEmpty;

            var existing = new ExistingOrder(order.Id);
            var awaitDependsOn = ImmutableArray<StepId>.Empty;
            if ((refreshed?.State ?? order.State) == OrderState.Pending)
            {
                var submit = new SubmitOrderStep(company, $"Submit order {order.Id} (created by an earlier apply)", [], existing, order.Operations);
                part.Steps.Add(submit);
                awaitDependsOn = [submit.Id];
            }

            var awaitStep = new AwaitOrderStep(company, $"Await order {order.Id} (created by an earlier apply) until completed", awaitDependsOn, existing, order.Operations);
            part.Steps.Add(awaitStep);
            awaits.Add(awaitStep.Id);
        }

        return (new InFlightOrders(kinds, ranges, rangesKnown, awaits.ToImmutable()), part.ToPart());
    }

    private (bool IsNew, PlanPart Part) PlanCompany(InFlightOrders inFlight)
    {
        var part = new PartBuilder();
        var details = desired.Company;
        var address = ResourceAddress.ForCompany(company);
        if (!view.CompanyActive)
        {
            var inventory = input.Refresh?.Inventory;
            var ours = Ownership.IsOurs(input.State, inventory);
            if (inventory is not null && !ours && inventory.Status != Inventory.CompanyStatus.Ceased)
            {
                part.Diagnostics.Add(inventory.IsRegisteredElsewhere
                    ? DiagnosticCatalog.CompanyAlreadyRegisteredElsewhere.At(desired.Span, details.Name)
                    : DiagnosticCatalog.CompanyAlreadyRegisteredNotInState.At(desired.Span, details.Name, company));
            }

            if (input.Refresh?.DomainTaken == true && !ours)
            {
                part.Diagnostics.Add(DiagnosticCatalog.DomainAlreadyRegisteredAtBt.At(desired.Span, details.Domain));
            }

            if (!inFlight.Contains(address))
            {
                part.Changes.Add(new ResourceChange(address, ChangeAction.Create, input.State?.Record?.Active == true ? "ceased at BT outside whcctl: made again, with a new qualification" : "new company", Planner.Diff([], CompanyAttributes(details))));
                part.Structural.Add(new OrderOperation(address, OrderOperationKind.Add));
            }

            var qualification = view.Qualification;
            if (qualification?.ExpiresAt is { } expires && expires > now && expires - now < options.QualificationWarningWindow)
            {
                part.Diagnostics.Add(DiagnosticCatalog.QualificationExpiresAt.At(desired.Span, qualification.Id, expires));
            }

            return (true, part.ToPart());
        }

        var record = view.Record;
        var before = record is null ? [] : CompanyAttributes(new CompanyDetails(record.Name, record.Domain, record.CustomerGroup, null, null));
        var diff = Planner.Diff(before, CompanyAttributes(details));
        foreach (var change in diff)
        {
            part.Diagnostics.Add(DiagnosticCatalog.ImmutableCompanyField.At(desired.Span, company, change));
        }

        part.Changes.Add(Unchanged(address, view.Record?.Protected == true, desired.Protect));
        return (false, part.ToPart());
    }

    /// <summary>
    /// A resource BT already matches: no change, unless its protection (kept only in state) changed; that is an in-place
    /// change of its own, so that it is applied (and shown) even when nothing at BT changes.
    /// </summary>
    private static ResourceChange Unchanged(ResourceAddress address, bool recordedProtect, bool wantedProtect) =>
        recordedProtect == wantedProtect
            ? new ResourceChange(address, ChangeAction.NoOp, "unchanged", [])
            : new ResourceChange(address, ChangeAction.Update, "protection changed (kept in state; nothing changes at BT)", [ProtectChange(recordedProtect, wantedProtect)]);

    private static AttributeChange ProtectChange(bool recorded, bool wanted) =>
        new("protect", AttributeValue.Flag(recorded), AttributeValue.Flag(wanted));

    /// <summary>The reason for re-creating what state recorded at BT but BT no longer holds (ceased outside whcctl).</summary>
    private static string? MadeAgain(bool? wasAtBt) => wasAtBt == true ? "ceased at BT outside whcctl: made again" : null;

    private static ImmutableArray<NamedValue> CompanyAttributes(CompanyDetails details) =>
        [new("name", AttributeValue.Text(details.Name)), new("domain", AttributeValue.Text(details.Domain)), new("customerGroup", AttributeValue.Text(details.CustomerGroup))];

    private PlanPart PlanNumberBlocks(bool isNew, InFlightOrders inFlight)
    {
        var part = new PartBuilder();
        foreach (var block in desired.NumberBlocks)
        {
            var address = Address(ResourceKind.NumberBlock, block.Name);
            var current = view.Blocks.GetValueOrDefault(block.Name);
            var have = current?.RingfencedCount ?? 0;
            if (current is not null && current.Ported != block.IsPorted)
            {
                part.Diagnostics.Add(DiagnosticCatalog.ImmutableNumberBlockKind.At(block.Span, block.Name, current.Ported));
                continue;
            }

            if (current is null && !block.IsPorted && LooksRenamed(block) is { } old)
            {
                var users = view.Users.Values.Count(u => u.NumberBlock == old.Name);
                part.Diagnostics.Add(DiagnosticCatalog.NumberBlockLooksRenamed.At(block.Span, block.Name, old, users));
            }

            if (block.IsPorted)
            {
                PlanPortedBlock(part, block, current, isNew, inFlight);
                continue;
            }

            if (current is not null && current.AreaCode != block.AreaCode)
            {
                part.Diagnostics.Add(DiagnosticCatalog.ImmutableAreaCode.At(block.Span, block.Name, current.AreaCode, block.AreaCode));
                continue;
            }

            if (have > block.Quantity)
            {
                part.Diagnostics.Add(DiagnosticCatalog.NumberBlockQuantityShrunk.At(block.Span, block.Name, have, block.Quantity));
                continue;
            }

            var allActive = current is not null && current.Ranges.All(r => r.Active);
            if (have == block.Quantity && allActive)
            {
                part.Changes.Add(Unchanged(address, current?.Protected == true, block.Protect));
                continue;
            }

            // A block an unfinished order activates needs nothing more unless it has grown (then the difference is
            // ringfenced now), or holds a range the order does not activate (ringfenced after the order was made): a
            // new order activates those, after the unfinished one.
            var uncovered = current is not null && current.Ranges.Any(r => !r.Active && !inFlight.Activates(r.StartNumber));
            if (inFlight.Contains(address) && have >= block.Quantity && !uncovered)
            {
                part.Changes.Add(new ResourceChange(address, current is null ? ChangeAction.Create : ChangeAction.Update, "in an order still being processed", []));
                continue;
            }

            var reason = current is null || current.Ranges.IsEmpty ? MadeAgain(input.State?.NumberBlocks.Any(b => b.Name == block.Name && b.Ranges.Length > 0)) ?? "new number block"
                : have < block.Quantity ? $"quantity {have} → {block.Quantity}"
                : "numbers ringfenced but not yet ordered";
            var action = current is null || current.Ranges.IsEmpty ? ChangeAction.Create : ChangeAction.Update;
            var ranges = current is null ? AttributeValue.List([]) : ResourceValues.Numbers(current);
            part.Changes.Add(new ResourceChange(address, action, reason, Planner.Diff(
                current is null ? [] : [new("areaCode", AttributeValue.Text(current.AreaCode)), new("quantity", AttributeValue.Number(have)), new("numbers", ranges)],
                [new("areaCode", AttributeValue.Text(block.AreaCode)), new("quantity", AttributeValue.Number(block.Quantity)), new("numbers", have < block.Quantity ? AttributeValue.KnownAfter("ringfence", ranges) : ranges)])));
            part.Structural.Add(new OrderOperation(address, OrderOperationKind.Add));
            if (have < block.Quantity)
            {
                part.Steps.Add(new RingFenceStep(
                    company,
                    string.Create(CultureInfo.InvariantCulture, $"Ringfence {block.Quantity - have} numbers in area code {block.AreaCode} for block {block.Name}"),
                    isNew ? [StepId.Qualify(company)] : [],
                    block.Name,
                    block.Quantity - have));
            }
        }

        foreach (var (name, current) in view.Blocks.Where(kv => desired.NumberBlocks.All(b => b.Name != kv.Key)))
        {
            var address = Address(ResourceKind.NumberBlock, name);
            if (current.Ranges.Any(r => r.Active) || inFlight.Adds(address))
            {
                if (PlanCease(part, inFlight, address, current.Protected))
                {
                    part.StructuralCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
                    if (current.Ported)
                    {
                        part.Diagnostics.Add(PortedGivenUp(desired.Span, name, current.Ranges));
                    }
                }
            }
            else if (!inFlight.Contains(address))
            {
                // Ringfenced but never ordered (or nothing left at BT): no order can cease numbers no product holds,
                // and no call BT documents gives ringfenced numbers back, so state lets the block go and says what
                // BT keeps reserved for the company.
                var numbers = string.Join(", ", current.Ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber).ToCompactString()));
                part.Changes.Add(new ResourceChange(
                    address,
                    ChangeAction.Forget,
                    numbers.Length > 0 ? $"never ordered; dropped from state; BT keeps {numbers} ringfenced to the company (no call gives them back)" : "nothing of it left at BT; dropped from state",
                    []));
            }
        }

        return part.ToPart();
    }

    /// <summary>
    /// A block of ported numbers: its ranges are exactly those the manifest lists. Each range not held yet is ringfenced
    /// on its own (BT allocates that range, not numbers of its choosing), once nothing else holds its numbers; a range
    /// the block holds can be given up only by ceasing the whole block.
    /// </summary>
    private void PlanPortedBlock(PartBuilder part, NumberBlockSpec block, NumberBlockState? current, bool isNew, InFlightOrders inFlight)
    {
        var address = Address(ResourceKind.NumberBlock, block.Name);
        var held = current?.Ranges ?? [];
        var refused = false;
        foreach (var range in held.Where(r => !block.Ported.Any(p => p.From == r.StartNumber && p.To == r.EndNumber)))
        {
            part.Diagnostics.Add(DiagnosticCatalog.PortedNumberBlockShrunk.At(block.Span, block.Name, new NumberRange(range.StartNumber, range.EndNumber)));
            refused = true;
        }

        var missing = block.Ported.Where(p => !held.Any(r => r.StartNumber == p.From && r.EndNumber == p.To)).ToList();
        var otherRanges = view.Blocks.Values.Where(b => b.Name != block.Name).SelectMany(b => b.Ranges.Select(r => (Block: b.Name, Range: r))).ToList();
        var takenElsewhere = input.Refresh?.TakenPortedRanges ?? [];
        foreach (var range in missing)
        {
            if (otherRanges.FirstOrDefault(o => Overlaps(o.Range.StartNumber, o.Range.EndNumber, range.From, range.To)) is { Block: not null } clash)
            {
                part.Diagnostics.Add(HeldIn(clash.Block).At(
                    range.Span,
                    new NumberRange(range.From, range.To),
                    block.Name,
                    new NumberRange(clash.Range.StartNumber, clash.Range.EndNumber),
                    clash.Block));
                refused = true;
            }
            else if (takenElsewhere.Contains(range.From))
            {
                part.Diagnostics.Add(DiagnosticCatalog.PortedRangeHeldElsewhere.At(range.Span, new NumberRange(range.From, range.To), block.Name));
                refused = true;
            }
        }

        if (refused)
        {
            return;
        }

        if (missing.Count == 0 && current is not null && current.Ranges.All(r => r.Active))
        {
            part.Changes.Add(Unchanged(address, current.Protected, block.Protect));
            return;
        }

        var uncovered = current is not null && current.Ranges.Any(r => !r.Active && !inFlight.Activates(r.StartNumber));
        if (inFlight.Contains(address) && missing.Count == 0 && !uncovered)
        {
            part.Changes.Add(new ResourceChange(address, current is null ? ChangeAction.Create : ChangeAction.Update, "in an order still being processed", []));
            return;
        }

        ListValue Ranges(IEnumerable<(string From, string To)> ranges) => AttributeValue.List(ranges.Select(r => new NumberRange(r.From, r.To).ToCompactString()));
        var before = Ranges(held.Select(r => (r.StartNumber, r.EndNumber)));
        var after = Ranges(block.Ported.Select(p => (p.From, p.To)));
        var create = held.IsEmpty;
        var reason = create ? MadeAgain(input.State?.NumberBlocks.Any(b => b.Name == block.Name && b.Ranges.Length > 0)) ?? "new ported number block"
            : missing.Count > 0 ? "ported ranges added"
            : "ported numbers ringfenced but not yet ordered";
        part.Changes.Add(new ResourceChange(address, create ? ChangeAction.Create : ChangeAction.Update, reason, Planner.Diff(
            create ? [] : [new("numbers", before), new("quantity", AttributeValue.Number(current?.RingfencedCount ?? 0))],
            [new("numbers", after), new("quantity", AttributeValue.Number(block.Ported.Sum(p => p.Count))), new("ported", AttributeValue.Flag(true))])));
        part.Structural.Add(new OrderOperation(address, OrderOperationKind.Add));
        foreach (var range in missing)
        {
            part.Steps.Add(new PortedRingFenceStep(
                company,
                string.Create(CultureInfo.InvariantCulture, $"Ringfence ported numbers {new NumberRange(range.From, range.To).ToCompactString()} ({range.Count}) for block {block.Name}"),
                isNew ? [StepId.Qualify(company)] : [],
                block.Name,
                new PortedRange(range.From, range.To)));
        }
    }

    /// <summary>
    /// When the block holding the numbers is one this plan ceases: its cease comes after every ringfence (its users must
    /// leave it first), and ceased ported numbers may go back to their provider, so the way through is a rename.
    /// </summary>
    private DiagnosticTemplate<NumberRange, string, NumberRange, string> HeldIn(string holder) =>
        desired.NumberBlocks.Any(b => b.Name == holder)
            ? DiagnosticCatalog.PortedRangeHeldInBlock
            : view.Blocks.TryGetValue(holder, out var held) && held.Ported
                ? DiagnosticCatalog.PortedRangeHeldInCeasedPortedBlock
                : DiagnosticCatalog.PortedRangeHeldInCeasedBlock;

    private static bool Overlaps(string start1, string end1, string start2, string end2) =>
        start1.Length == start2.Length && string.CompareOrdinal(start1, end2) <= 0 && string.CompareOrdinal(start2, end1) <= 0;

    /// <summary>The warning that ceasing ported numbers may lose them for good: BT may not hold them for the customer afterwards.</summary>
    private static Diagnostic PortedGivenUp(SourceSpan span, string block, IEnumerable<NumberRangeState> ranges) =>
        DiagnosticCatalog.PortedNumbersGivenUpBlock.At(span, block, ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber)));

    /// <summary>A site BT holds that the manifest no longer names, with the location code of <paramref name="site"/> (new): likely the same site renamed.</summary>
    private SiteState? LooksRenamed(SiteSpec site) =>
        view.Sites.Values.FirstOrDefault(s => s.ServiceId is not null && s.LocationCode == site.LocationCode && desired.Sites.All(d => d.Name != s.Name));

    /// <summary>
    /// A site BT holds that the manifest no longer names, at the address of <paramref name="site"/> (new: the same NAD key,
    /// or for a site given by postcode the same postcode and premises) under another location code: likely renamed.
    /// </summary>
    private SiteState? SharesAddress(SiteSpec site) =>
        view.Sites.Values.Where(s => s.ServiceId is not null && desired.Sites.All(d => d.Name != s.Name)
                && !string.Equals(s.LocationCode, site.LocationCode, StringComparison.OrdinalIgnoreCase)
                && (site.Address.HasNadKey ? s.NadKey == site.Address.NadKey : s.FoundBy is { } foundBy && AddressMatcher.SameAddress(foundBy, site.Address)))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>A block of new numbers the manifest no longer names, with the area code and quantity of <paramref name="block"/> (new): likely renamed.</summary>
    private NumberBlockState? LooksRenamed(NumberBlockSpec block) =>
        view.Blocks.Values.FirstOrDefault(b => !b.Ported && b.Ranges.Length > 0 && b.AreaCode == block.AreaCode && b.RingfencedCount == block.Quantity
            && desired.NumberBlocks.All(d => d.Name != b.Name));

    /// <summary>Plans the cease of a resource removed from the manifest; true when an order must cease it.</summary>
    private bool PlanCease(PartBuilder part, InFlightOrders inFlight, ResourceAddress address, bool isProtected)
    {
        if (isProtected)
        {
            part.Diagnostics.Add(DiagnosticCatalog.ProtectedRemovedFromManifest.At(desired.Span, address));
            return false;
        }

        part.Changes.Add(new ResourceChange(address, ChangeAction.Delete, "removed from manifest", []));
        return !inFlight.Ceases(address);
    }

    /// <summary>Users are ceased before anything is added (freeing their extensions), and their numbers stay reserved.</summary>
    private static void CeaseUser(PartBuilder part, ResourceAddress address, UserState current)
    {
        part.UserCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
        if (current.DirectoryNumber is { } number)
        {
            part.ReservedNumbers[current.Username] = number;
        }
    }

    private PlanPart PlanSites(InFlightOrders inFlight)
    {
        var part = new PartBuilder();
        foreach (var site in desired.Sites)
        {
            var address = Address(ResourceKind.Site, site.Name);
            var current = view.Sites.GetValueOrDefault(site.Name);
            if (current?.ServiceId is not null)
            {
                if (current.LocationCode != site.LocationCode)
                {
                    part.Diagnostics.Add(DiagnosticCatalog.ImmutableLocationCode.At(site.Span, site.Name, current.LocationCode, site.LocationCode));
                }

                if (site.Address.HasNadKey && site.Address.NadKey != current.NadKey)
                {
                    part.Diagnostics.Add(DiagnosticCatalog.ImmutableSiteNadKey.At(site.Span, site.Name, current.NadKey));
                }
                else if (!site.Address.HasNadKey && current.FoundBy is { } foundBy && !AddressMatcher.SameAddress(foundBy, site.Address))
                {
                    part.Diagnostics.Add(DiagnosticCatalog.ImmutableSiteAddress.At(site.Span, site.Name, foundBy, site.Address, current.NadKey));
                }

                part.Changes.Add(Unchanged(address, current.Protected, site.Protect));
                continue;
            }

            if (!inFlight.Contains(address) && LooksRenamed(site) is { } old)
            {
                // BT refuses a second site with a location code the company holds, and ceasing the old site first would
                // cease its users: the only way through without an outage is a rename in state.
                part.Diagnostics.Add(DiagnosticCatalog.SiteRenameSameLocationCode.At(site.Span, site.Name, site.LocationCode, old.Name));
            }
            else if (!inFlight.Contains(address) && SharesAddress(site) is { } same)
            {
                // BT accepts a second site at one address, so this plan can be applied; but if it is a rename, it ceases
                // the old site's users and makes them again for nothing. A warning, so a second site there stays possible.
                // Shown by the address it was found by only when the manifest gives this site by address too.
                part.Diagnostics.Add(DiagnosticCatalog.SiteAtRemovedSiteAddressOtherCode.At(site.Span, site.Name, site.LocationCode, same, !site.Address.HasNadKey));
            }

            var nadKey = ResolveNadKey(part, site, current);
            var attributes = Planner.Diff([], [new("locationCode", AttributeValue.Text(site.LocationCode)), new("nadKey", nadKey is null ? AttributeValue.KnownAfter("address step") : AttributeValue.Text(nadKey))]);
            if (inFlight.Contains(address))
            {
                part.Changes.Add(new ResourceChange(address, ChangeAction.Create, "in an order still being processed", attributes));
                continue;
            }

            part.Changes.Add(new ResourceChange(address, ChangeAction.Create, MadeAgain(input.State?.Sites.Any(x => x.Name == site.Name && x.ServiceId is not null)) ?? "new site", attributes));
            part.Structural.Add(new OrderOperation(address, OrderOperationKind.Add));
            if (nadKey is null)
            {
                part.Steps.Add(new CreateAddressStep(
                    company,
                    $"Find or create the address of site {site.Name} ({site.Address.Postcode}, {site.Address.Premises})",
                    [],
                    site.Name));
            }
            else
            {
                part.NadKeys[site.Name] = nadKey;
            }
        }

        foreach (var (name, current) in view.Sites.Where(kv => desired.Sites.All(s => s.Name != kv.Key)))
        {
            var address = Address(ResourceKind.Site, name);
            if (current.ServiceId is not null || inFlight.Adds(address))
            {
                // At BT, or will be once an unfinished order is done: ceased (after that order).
                if (PlanCease(part, inFlight, address, current.Protected))
                {
                    part.StructuralCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
                }
            }
            else if (!inFlight.Contains(address))
            {
                // Its address was found but it was never ordered: nothing at BT to cease, so state simply lets it go.
                part.Changes.Add(new ResourceChange(
                    address,
                    ChangeAction.Forget,
                    current.NadKey.Length > 0 ? $"never ordered; dropped from state; the address it was to use (NAD key {current.NadKey}) stays at BT, unused" : "never ordered; dropped from state",
                    []));
            }
        }

        return part.ToPart();
    }

    private string? ResolveNadKey(PartBuilder part, SiteSpec site, SiteState? pending)
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
            part.Diagnostics.Add(DiagnosticCatalog.SiteAddressMatchesSeveral.At(site.Span, site.Name, postcode, site.Address.Premises, [.. matches.Select(m => m.NadKey)]));
        }

        return matches.Count == 0 ? null : matches[0].NadKey;
    }

    private PlanPart PlanUsers(InFlightOrders inFlight)
    {
        var part = new PartBuilder();
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
                part.Diagnostics.Add(FullBlockMessage.At(user, user.Number.From, wantedBlock?.Quantity ?? 0, desired, view.Users.Values));
            }

            var after = UserAttributes(site.Name, user, number);
            if (inFlight.TryGetKind(address, out var inFlightKind) && inFlightKind != OrderOperationKind.Cease)
            {
                part.Changes.Add(new ResourceChange(address, current is null ? ChangeAction.Create : ChangeAction.Update, "in an order still being processed", []));
                continue;
            }

            if (current?.ServiceId is null || inFlightKind == OrderOperationKind.Cease)
            {
                // New, or being ceased by an unfinished order and wanted again: added (after that order).
                // Taken by a user of this very company (BT compares names ignoring case): not BT-wide, but the
                // uniqueness check's to judge, as it knows whether this plan ceases that user first.
                if (taken.Contains(user.Username) && !view.Users.Keys.Any(u => string.Equals(u, user.Username, StringComparison.OrdinalIgnoreCase)))
                {
                    part.Diagnostics.Add(DiagnosticCatalog.UsernameTakenAtBt.At(user.Span, user.Username));
                }

                part.Changes.Add(new ResourceChange(address, ChangeAction.Create, MadeAgain(input.State?.Users.Any(x => x.Username == user.Username && x.ServiceId is not null && inFlightKind != OrderOperationKind.Cease)) ?? "new user", Planner.Diff([], after)));
                part.UserOperations.Add(new OrderOperation(address, OrderOperationKind.Add));
                continue;
            }

            if (current.Site != site.Name && (current.Protected || user.Protect))
            {
                part.Diagnostics.Add(DiagnosticCatalog.ProtectedUserMovedBetweenSites.At(user.Span, address, current.Site, site.Name));
                continue;
            }

            if (current.Site != site.Name)
            {
                part.Changes.Add(new ResourceChange(address, ChangeAction.Replace, $"moves from site {current.Site} to {site.Name}: BT cannot move a user between sites", Planner.Diff(Planner.UserAttributes(current), after)));
                CeaseUser(part, address, current);
                part.UserOperations.Add(new OrderOperation(address, OrderOperationKind.Add));
                continue;
            }

            var diff = Planner.Diff(Planner.UserAttributes(current), after);
            if (diff.Length == 0)
            {
                part.Changes.Add(Unchanged(address, current.Protected, user.Protect));
                continue;
            }

            part.Changes.Add(new ResourceChange(
                address,
                ChangeAction.Update,
                string.Join(", ", diff.Select(d => d.Name)) + " changed",
                current.Protected == user.Protect ? diff : diff.Add(ProtectChange(current.Protected, user.Protect))));
            part.UserOperations.Add(new OrderOperation(address, OrderOperationKind.Modify));
        }

        var wantedNames = wanted.Select(w => w.User.Username).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, current) in view.Users.Where(kv => kv.Value.ServiceId is not null && !wantedNames.Contains(kv.Key)))
        {
            if (PlanCease(part, inFlight, Address(ResourceKind.User, name), current.Protected))
            {
                CeaseUser(part, Address(ResourceKind.User, name), current);
            }
        }

        // Users an unfinished order adds though the manifest no longer names them: ceased once that order is done.
        foreach (var address in inFlight.Resources.Where(a => a.Kind == ResourceKind.User && !wantedNames.Contains(a.Name) && !view.Users.ContainsKey(a.Name) && inFlight.Adds(a)))
        {
            if (PlanCease(part, inFlight, address, isProtected: false))
            {
                part.UserCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
            }
        }

        return part.ToPart();
    }

    /// <summary>The user as the manifest wants it; a number it draws that is still to be ringfenced is known only after the ringfence.</summary>
    private static ImmutableArray<NamedValue> UserAttributes(string site, UserSpec user, string? number)
    {
        var attributes = Planner.UserAttributes(new UserState(
            user.Username, site, user.FirstName, user.LastName, user.Extension, user.Number?.From, number, user.Licence,
            [.. user.Devices.Select(d => d.MacAddress).Order(StringComparer.Ordinal)], null));
        return number is null && user.Number is not null
            ? [.. attributes.Select(a => a.Name == "number" ? a with { Value = AttributeValue.KnownAfter("ringfence") } : a)]
            : attributes;
    }

    /// <summary>--target: keep only changes inside a target. A new company cannot be created in part, so it stays whole.</summary>
    private PlanPart ApplyTargets(PlanPart part, bool isNew)
    {
        var targets = options.Targets.Where(t => t.Company == company).ToList();
        if (options.Targets.IsDefaultOrEmpty)
        {
            return part;
        }

        if (targets.Count == 0)
        {
            return part with
            {
                Changes = part.Changes.RemoveAll(c => c.Action != ChangeAction.NoOp),
                Structural = [],
                UserOperations = [],
                UserCeases = [],
                StructuralCeases = [],
                Steps = [],
            };
        }

        if (isNew)
        {
            return part;
        }

        // A targeted user that is added needs its site and number block: when those are still to be made, they come too.
        var added = part.UserOperations.Where(o => o.Kind == OrderOperationKind.Add && targets.Any(t => t.Contains(o.Address))).Select(o => o.Address.Name).ToHashSet(StringComparer.Ordinal);
        var needed = desired.AllUsers()
            .Where(p => added.Contains(p.User.Username))
            .SelectMany(p => p.User.Number is null
                ? [Address(ResourceKind.Site, p.Site.Name)]
                : new[] { Address(ResourceKind.Site, p.Site.Name), Address(ResourceKind.NumberBlock, p.User.Number.From) })
            .ToHashSet();
        bool Targeted(ResourceAddress address) => needed.Contains(address) || targets.Any(t => t.Contains(address));
        return part with
        {
            Changes = part.Changes.RemoveAll(c => c.Action != ChangeAction.NoOp && !Targeted(c.Address)),
            Structural = part.Structural.RemoveAll(o => !Targeted(o.Address)),
            UserOperations = part.UserOperations.RemoveAll(o => !Targeted(o.Address)),
            UserCeases = part.UserCeases.RemoveAll(o => !Targeted(o.Address)),
            StructuralCeases = part.StructuralCeases.RemoveAll(o => !Targeted(o.Address)),
            Steps = part.Steps.RemoveAll(s => s switch
            {
                RingFenceStep r => !Targeted(Address(ResourceKind.NumberBlock, r.Block)),
                PortedRingFenceStep p => !Targeted(Address(ResourceKind.NumberBlock, p.Block)),
                CreateAddressStep a => !Targeted(Address(ResourceKind.Site, a.Site)),
                _ => false,
            }),
        };
    }

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
        var wanted = WantedValues(part.UserOperations);
        var late = moving.Where(a => !FromEarlySite(a) && clashes.WaveOf(a) > 0 && !HeldValues(a).Any(v => wanted.Any(w => w.User != a && w.Value == v))).ToHashSet();
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
        var numbers = NumberAssignment.Assign(desired, view.RangesByBlock(), view.HeldNumbers());
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

    /// <summary>
    /// What one pass contributes to the company's plan: changes, diagnostics, order operations by phase, steps that
    /// come before orders, and what orders need (NAD keys found while planning, numbers reserved for ceased users).
    /// </summary>
    private sealed record PlanPart(
        ImmutableArray<ResourceChange> Changes,
        ImmutableArray<Diagnostic> Diagnostics,
        ImmutableArray<OrderOperation> Structural,
        ImmutableArray<OrderOperation> UserOperations,
        ImmutableArray<OrderOperation> UserCeases,
        ImmutableArray<OrderOperation> StructuralCeases,
        ImmutableArray<PlanStep> Steps,
        ImmutableSortedDictionary<string, string> NadKeys,
        ImmutableSortedDictionary<string, string> ReservedNumbers)
    {
        /// <summary>This part followed by <paramref name="next"/>, in plan order.</summary>
        public PlanPart Then(PlanPart next) => new(
            Changes.AddRange(next.Changes),
            Diagnostics.AddRange(next.Diagnostics),
            Structural.AddRange(next.Structural),
            UserOperations.AddRange(next.UserOperations),
            UserCeases.AddRange(next.UserCeases),
            StructuralCeases.AddRange(next.StructuralCeases),
            Steps.AddRange(next.Steps),
            NadKeys.SetItems(next.NadKeys),
            ReservedNumbers.SetItems(next.ReservedNumbers));
    }

    /// <summary>Collects one pass's part; the pass returns it as a <see cref="PlanPart"/>.</summary>
    private sealed class PartBuilder
    {
        public List<ResourceChange> Changes { get; } = [];

        public List<Diagnostic> Diagnostics { get; } = [];

        public List<OrderOperation> Structural { get; } = [];

        public List<OrderOperation> UserOperations { get; } = [];

        public List<OrderOperation> UserCeases { get; } = [];

        public List<OrderOperation> StructuralCeases { get; } = [];

        public List<PlanStep> Steps { get; } = [];

        public SortedDictionary<string, string> NadKeys { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, string> ReservedNumbers { get; } = new(StringComparer.Ordinal);

        public PlanPart ToPart() => new(
            [.. Changes],
            [.. Diagnostics],
            [.. Structural],
            [.. UserOperations],
            [.. UserCeases],
            [.. StructuralCeases],
            [.. Steps],
            NadKeys.ToImmutableSortedDictionary(StringComparer.Ordinal),
            ReservedNumbers.ToImmutableSortedDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// The orders earlier runs left unfinished, as this plan carries them: what each does to which resource (a null
    /// kind: an order recorded by an older whcctl, which kept none), the ranges they activate, and their await steps.
    /// </summary>
    private sealed class InFlightOrders(
        IReadOnlyDictionary<ResourceAddress, OrderOperationKind?> kinds,
        IReadOnlySet<string> ranges,
        bool rangesKnown,
        ImmutableArray<StepId> awaits)
    {
        public ImmutableArray<StepId> Awaits { get; } = awaits;

        /// <summary>In address order (ordinal), never the map's own.</summary>
        public IEnumerable<ResourceAddress> Resources => kinds.Keys.OrderBy(a => a.ToString(), StringComparer.Ordinal);

        public bool Contains(ResourceAddress address) => kinds.ContainsKey(address);

        public bool TryGetKind(ResourceAddress address, out OrderOperationKind? kind) => kinds.TryGetValue(address, out kind);

        /// <summary>Whether an unfinished order already ceases the resource (or, for an older order, acts on it at all).</summary>
        public bool Ceases(ResourceAddress address) => kinds.TryGetValue(address, out var kind) && kind is null or OrderOperationKind.Cease;

        /// <summary>Whether an unfinished order adds or changes the resource, so that it exists once the order is done.</summary>
        public bool Adds(ResourceAddress address) => kinds.TryGetValue(address, out var kind) && kind is OrderOperationKind.Add or OrderOperationKind.Modify;

        /// <summary>Whether an unfinished order activates the range (assumed, for orders of an older whcctl that did not say).</summary>
        public bool Activates(string startNumber) => !rangesKnown || ranges.Contains(startNumber);
    }
}
