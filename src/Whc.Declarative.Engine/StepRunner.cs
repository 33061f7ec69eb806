using System.Collections.Immutable;
using Polly;
using Polly.Retry;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine;

/// <summary>
/// Carries out single plan steps against BT and records each result in state. Every call that is not idempotent is
/// made exactly once: an intent is written first, and an intent found later (or an unknown outcome now) is reconciled
/// against BT's inventory before the call is ever repeated.
/// </summary>
internal sealed class StepRunner
{
    private readonly ThrottledWhcApi api;
    private readonly TimeProvider clock;
    private readonly ApplyOptions options;
    private readonly OrderPollSchedule polls;
    private readonly Action<string, string> notice;
    private readonly ResiliencePipeline unknownOutcomes;

    /// <param name="notice">Tells the user something about a company while the apply goes on (company, message).</param>
    public StepRunner(ThrottledWhcApi api, TimeProvider clock, ApplyOptions options, OrderPollSchedule polls, Action<string, string>? notice = null)
    {
        this.api = api;
        this.clock = clock;
        this.options = options;
        this.polls = polls;
        this.notice = notice ?? ((_, _) => { });
        unknownOutcomes = UnknownOutcomeRetry(clock, options.MaxAttemptsPerStep);
    }

    /// <summary>
    /// A step whose call ended with its outcome unknown (a timeout or 5xx after the client's own retries) is tried again,
    /// a little later each time (100 ms × attempt²), up to the step's attempts; anything else ends the step. What each
    /// attempt does first (reconcile the intent) is the caller's.
    /// </summary>
    private static ResiliencePipeline UnknownOutcomeRetry(TimeProvider clock, int maxAttempts) =>
        maxAttempts <= 1
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = clock }
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = maxAttempts - 1,
                    ShouldHandle = new PredicateBuilder().Handle<WhcApiException>(e => e.OutcomeUnknown),
                    DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(TimeSpan.FromMilliseconds(100 * (args.AttemptNumber + 1) * (args.AttemptNumber + 1))),
                })
                .Build();

    public Task RunAsync(CompanySession session, PlanStep step, CancellationToken cancellationToken) => step switch
    {
        QualifyStep => QualifyAsync(session, cancellationToken),
        RingFenceStep ringFence => RingFenceAsync(session, ringFence, cancellationToken),
        PortedRingFenceStep ported => RingFencePortedAsync(session, ported, cancellationToken),
        CreateAddressStep address => ResolveAddressAsync(session, address, cancellationToken),
        CreateOrderStep create => CreateOrderAsync(session, create, cancellationToken),
        SubmitOrderStep submit => SubmitOrderAsync(session, submit, cancellationToken),
        AwaitOrderStep awaitStep => AwaitOrderAsync(session, awaitStep, cancellationToken),
        _ => throw new InvalidOperationException($"unknown step kind {step.Kind}"),
    };

    private static CompanyManifest Desired(CompanySession session) =>
        session.Desired ?? throw new StepFailedException("this step needs the company's manifest, and the plan has none");

    /// <summary>
    /// The exactly-once pattern within one run. <paramref name="reconcile"/> looks at BT for the effect of an earlier
    /// attempt of this run whose outcome was unknown; <paramref name="call"/> makes the call (given the intent's id, used
    /// as the order's externalId). Intents an earlier run left were answered before planning (IntentReconciler).
    /// </summary>
    private async Task<T> ExactlyOnceAsync<T>(
        CompanySession session,
        string stepId,
        IntentDetails details,
        Func<IntentRecord, CancellationToken, Task<T?>> reconcile,
        Func<IntentRecord, CancellationToken, Task<T>> call,
        Func<CompanyState, T, CompanyState> record,
        CancellationToken cancellationToken)
        where T : class =>
        await unknownOutcomes.ExecuteAsync(async ct =>
        {
            var intent = session.State.Intents.FirstOrDefault(i => i.Operation == details.Operation && i.StepId == stepId);
            if (intent is not null)
            {
                // An earlier attempt's outcome was unknown: its intent stays until BT's inventory tells.
                var found = await reconcile(intent, ct);
                if (found is not null)
                {
                    await session.UpdateAsync(s => record(s, found) with { Intents = s.Intents.Remove(intent) }, ct);
                    return found;
                }
            }
            else
            {
                intent = new IntentRecord($"whcctl-{Guid.NewGuid():N}", stepId, details.Operation, clock.GetUtcNow(), details.ToMap());
                var written = intent;
                await session.UpdateAsync(s => s with { Intents = s.Intents.Add(written) }, ct, recordsBtChange: false);
            }

            try
            {
                var result = await call(intent, ct);
                var done = intent;
                await session.UpdateAsync(s => record(s, result) with { Intents = s.Intents.Remove(done) }, ct);
                return result;
            }
            catch (WhcApiException e) when (!e.OutcomeUnknown)
            {
                // BT refused it: nothing happened, so the intent is void.
                var refused = intent;
                await session.UpdateAsync(s => s with { Intents = s.Intents.Remove(refused) }, ct, recordsBtChange: false);
                throw;
            }
        }, cancellationToken);

    private async Task QualifyAsync(CompanySession session, CancellationToken cancellationToken)
    {
        var desired = Desired(session);
        var request = new QualificationRequest(
            desired.Reseller.CugId, desired.Reseller.BillingAccount, desired.Company.Name, desired.Company.Domain, desired.Company.CustomerGroup);
        if (QualificationExpiry.TooLateToQualifyUntil(clock.GetUtcNow(), options.QualificationMargin) is { } dayStart)
        {
            // Near 23:59 UK time a new qualification would lapse before the ringfence or order could use it (BT's rule).
            notice(session.Plan.Company, $"waiting until {dayStart:u} (00:00 UK time) to qualify: a qualification made now would expire at 23:59 UK time before it could be used");
            await session.WaitAsync(ct => Task.Delay(Max(dayStart - clock.GetUtcNow() + TimeSpan.FromSeconds(1), TimeSpan.Zero), clock, ct), cancellationToken);
        }

        await ExactlyOnceAsync(
            session,
            StepId.Qualify(session.Plan.Company).ToString(),
            new QualifyIntent(request.CugId, request.BillingAccount, request.CompanyName, request.CompanyDomain, request.CustomerGroup),
            async (_, ct) =>
            {
                var inventory = await api.ReadCompanyAsync(request.CugId, request.CompanyName, ct);
                return IntentResolver.NewQualification(session.State, inventory) is { } found
                    ? new QualificationResult(found.Id, true, inventory?.ServiceId, null, null)
                    : null;
            },
            async (_, ct) =>
            {
                var result = await api.QualifyAsync(request, ct);
                return result.Qualified
                    ? result
                    : throw new StepFailedException($"BT did not qualify company {request.CompanyName}: {result.Reason ?? "no reason given"}");
            },
            (state, result) =>
            {
                var expires = result.ExpiresAt ?? QualificationExpiry.For(clock.GetUtcNow());
                var qualification = new QualificationRecord(result.Id, expires, false);
                var record = state.Record is null
                    ? new CompanyRecord(request.CompanyName, request.CompanyDomain, request.CustomerGroup, request.CugId, request.BillingAccount, result.CompanyServiceId, qualification, false) { Protected = desired.Protect }
                    : state.Record with { ServiceId = result.CompanyServiceId ?? state.Record.ServiceId, Qualification = qualification };
                return state with { Record = record };
            },
            cancellationToken);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>A company that is not yet active needs a live, unused qualification for ringfences and its first order.</summary>
    private async Task EnsureLiveQualificationAsync(CompanySession session, bool unused, CancellationToken cancellationToken)
    {
        var record = session.State.Record;
        if (record?.Active == true)
        {
            return;
        }

        if (QualificationExpiry.NeedsNew(record?.Qualification, unused, clock.GetUtcNow(), options.QualificationMargin))
        {
            await QualifyAsync(session, cancellationToken);
        }
    }

    private async Task RingFenceAsync(CompanySession session, RingFenceStep step, CancellationToken cancellationToken)
    {
        var desired = Desired(session);
        var blockName = step.Block;
        var block = desired.NumberBlocks.First(b => b.Name == blockName);
        var quantity = step.Quantity;
        await EnsureLiveQualificationAsync(session, unused: false, cancellationToken);
        await ExactlyOnceAsync(
            session,
            step.Id.ToString(),
            new RingFenceIntent(blockName, block.AreaCode, quantity),
            async (_, ct) =>
            {
                // A ringfence that went through shows up as a range of the company that no block of ours claims.
                var record = session.State.Record;
                var inventory = await api.ReadCompanyAsync(record?.CugId ?? desired.Reseller.CugId, record?.Name ?? desired.Company.Name, ct);
                var orphans = IntentResolver.UnclaimedRanges(session.State, inventory, block.AreaCode);
                var orphan = orphans.FirstOrDefault(r => r.Count == quantity) ?? orphans.FirstOrDefault();
                return orphan is null ? null : new RingFenceResult(orphan.StartNumber, orphan.EndNumber, inventory?.ServiceId ?? string.Empty, "RINGFENCED");
            },
            (_, ct) =>
            {
                var record = session.State.Record ?? throw new StepFailedException("the company must be qualified before numbers are ringfenced");
                var serviceId = record.ServiceId ?? throw new StepFailedException("the company has no service id yet");
                return api.RingFenceAsync(new RingFenceRequest(record.CugId, block.AreaCode, quantity, serviceId, record.Active ? null : record.Qualification?.Id), ct);
            },
            (state, result) =>
            {
                var range = new NumberRangeState(result.StartNumber, result.EndNumber, false, null);
                var existing = state.NumberBlocks.FirstOrDefault(b => b.Name == blockName);
                var updated = existing is null
                    ? new NumberBlockState(blockName, block.AreaCode, block.Quantity, [range]) { Protected = block.Protect }
                    : existing with { Quantity = block.Quantity, Ranges = existing.Ranges.Add(range) };
                return state with { NumberBlocks = existing is null ? state.NumberBlocks.Add(updated) : state.NumberBlocks.Replace(existing, updated) };
            },
            cancellationToken);
    }

    /// <summary>
    /// A ported range is asked for by its ends, and its effect is exactly that range held for the company: an attempt
    /// whose outcome is unknown is settled by reading the company, never by asking again while BT may hold it.
    /// </summary>
    private async Task RingFencePortedAsync(CompanySession session, PortedRingFenceStep step, CancellationToken cancellationToken)
    {
        var desired = Desired(session);
        var block = desired.NumberBlocks.First(b => b.Name == step.Block);
        var ported = step.Range;
        await EnsureLiveQualificationAsync(session, unused: false, cancellationToken);
        var quantity = (int)(long.Parse(ported.EndNumber, System.Globalization.CultureInfo.InvariantCulture) - long.Parse(ported.StartNumber, System.Globalization.CultureInfo.InvariantCulture) + 1);
        await ExactlyOnceAsync(
            session,
            step.Id.ToString(),
            new RingFenceIntent(block.Name, string.Empty, quantity) { StartNumber = ported.StartNumber, EndNumber = ported.EndNumber },
            async (_, ct) =>
            {
                var record = session.State.Record;
                var inventory = await api.ReadCompanyAsync(record?.CugId ?? desired.Reseller.CugId, record?.Name ?? desired.Company.Name, ct);
                var found = IntentResolver.UnclaimedPortedRange(session.State, inventory, ported.StartNumber, ported.EndNumber);
                return found is null ? null : new RingFenceResult(found.StartNumber, found.EndNumber, inventory?.ServiceId ?? string.Empty, "RINGFENCED");
            },
            async (_, ct) =>
            {
                var record = session.State.Record ?? throw new StepFailedException("the company must be qualified before numbers are ringfenced");
                var serviceId = record.ServiceId ?? throw new StepFailedException("the company has no service id yet");
                var answer = await api.RingFenceAsync(new RingFenceRequest(record.CugId, string.Empty, quantity, serviceId, record.Active ? null : record.Qualification?.Id) { Ported = ported }, ct);
                // The request for a ported range is assumed: an answer with other numbers means BT did not take it as
                // asked. Fail closed (the intent stays for the next plan to settle) rather than call other numbers ported.
                return answer.StartNumber == ported.StartNumber && answer.EndNumber == ported.EndNumber
                    ? answer
                    : throw new StepFailedException($"BT answered the ported ringfence of {new NumberRange(ported.StartNumber, ported.EndNumber).ToCompactString()} with {new NumberRange(answer.StartNumber, answer.EndNumber).ToCompactString()}, not the range asked for; check the contract's ringFence request for ported ranges (whcctl contract show)");
            },
            (state, result) =>
            {
                var range = new NumberRangeState(result.StartNumber, result.EndNumber, false, null);
                var existing = state.NumberBlocks.FirstOrDefault(b => b.Name == block.Name);
                var updated = existing is null
                    ? new NumberBlockState(block.Name, string.Empty, block.Quantity, [range]) { Protected = block.Protect, Ported = true }
                    : existing with { Quantity = block.Quantity, Ranges = existing.Ranges.Add(range) };
                return state with { NumberBlocks = existing is null ? state.NumberBlocks.Add(updated) : state.NumberBlocks.Replace(existing, updated) };
            },
            cancellationToken);
    }

    private async Task ResolveAddressAsync(CompanySession session, CreateAddressStep step, CancellationToken cancellationToken)
    {
        var desired = Desired(session);
        var siteName = step.Site;
        var site = desired.Sites.First(s => s.Name == siteName);
        var postcode = site.Address.Postcode ?? throw new StepFailedException($"site '{siteName}' has neither a postcode nor a NAD key");

        async Task<AddressRecord?> FindAsync(CancellationToken ct)
        {
            var candidates = await api.SearchAddressesAsync(postcode, ct);
            return candidates.FirstOrDefault(a => AddressMatcher.Matches(a, site.Address));
        }

        CompanyState Record(CompanyState state, AddressRecord address)
        {
            var pending = new SiteState(site.Name, site.LocationCode, address.NadKey, null) { Protected = site.Protect, FoundBy = SiteAddressState.Of(site.Address) };
            var existing = state.Sites.FirstOrDefault(s => s.Name == site.Name);
            return state with { Sites = existing is null ? state.Sites.Add(pending) : state.Sites.Replace(existing, pending) };
        }

        var found = await FindAsync(cancellationToken);
        if (found is not null)
        {
            await session.UpdateAsync(s => Record(s, found), cancellationToken);
            return;
        }

        await ExactlyOnceAsync(
            session,
            step.Id.ToString(),
            new CreateAddressIntent(site.Name, site.LocationCode, postcode, site.Address.Premises, site.Address.Street, site.Address.City),
            async (_, ct) => await FindAsync(ct),
            (_, ct) => api.CreateAddressAsync(new NewAddress(postcode, site.Address.Premises, site.Address.Street, site.Address.City), ct),
            Record,
            cancellationToken);
    }

    private async Task CreateOrderAsync(CompanySession session, CreateOrderStep step, CancellationToken cancellationToken)
    {
        var desired = session.Desired;
        var operations = step.Operations;
        if (operations.Any(o => o.Address.Kind == ResourceKind.Company && o.Kind == OrderOperationKind.Add))
        {
            await EnsureLiveQualificationAsync(session, unused: true, cancellationToken);
        }

        // The ranges this order activates: the blocks' ranges not active yet. Recorded, so that a range ringfenced
        // after the order was made (whose answer a killed run lost, say) is known to need an order of its own.
        var blocks = operations.Where(o => o.Address.Kind == ResourceKind.NumberBlock && o.Kind == OrderOperationKind.Add).Select(o => o.Address.Name).ToHashSet(StringComparer.Ordinal);
        var ranges = session.State.NumberBlocks.Where(b => blocks.Contains(b.Name)).SelectMany(b => b.Ranges).Where(r => !r.Active).Select(r => r.StartNumber).ToImmutableArray();
        await ExactlyOnceAsync(
            session,
            step.Id.ToString(),
            new CreateOrderIntent(operations, ranges),
            async (intent, ct) => await api.FindOrderByExternalIdAsync(intent.Id, ct),
            async (intent, ct) =>
            {
                OrderRequest order;
                try
                {
                    order = OrderBuilder.Build(intent.Id, desired, session.State, operations, session.Plan.NadKeys, session.Plan.ReservedNumbers);
                }
                catch (OrderBuildException e)
                {
                    throw new StepFailedException($"cannot build the order: {e.Message}");
                }

                var id = await api.CreateOrderAsync(order, ct);
                return new OrderStatus(id, intent.Id, OrderState.Pending, null);
            },
            (state, created) =>
            {
                var record = new OrderRecord(created.Id, created.ExternalId ?? string.Empty, step.Id.ToString(), created.State, clock.GetUtcNow(), [.. operations.Select(o => o.Address.ToString())])
                {
                    Operations = operations,
                    NumberRanges = ranges,
                };
                var company = state.Record;
                var usesQualification = operations.Any(o => o.Address.Kind == ResourceKind.Company && o.Kind == OrderOperationKind.Add);
                return state with
                {
                    Orders = state.Orders.Add(record),
                    Record = usesQualification && company?.Qualification is { } q ? company with { Qualification = q with { Used = true } } : company,
                };
            },
            cancellationToken);
    }

    /// <summary>The order a submit or await step is about: named in the plan, or created by this plan's create step.</summary>
    private static OrderRecord OrderOf(CompanySession session, string company, OrderRef order)
    {
        if (order is not PlannedOrder planned)
        {
            var id = order.Text;
            return session.State.Orders.FirstOrDefault(o => o.Id == id) ?? throw new StepFailedException($"order {id} is not in state");
        }

        // State keeps the create step's id as text; it is compared as a step id, not as text.
        var createStep = StepId.CreateOrder(company, planned.Number);
        return session.State.Orders.LastOrDefault(o => StepId.TryParse(o.StepId, out var recorded) && recorded == createStep)
            ?? throw new StepFailedException($"no order was recorded for step {createStep}");
    }

    private async Task SubmitOrderAsync(CompanySession session, SubmitOrderStep step, CancellationToken cancellationToken)
    {
        var order = OrderOf(session, step.Company, step.Order);
        // Submitting is idempotent at BT (an already submitted order is answered 201 again), so retrying is safe.
        await unknownOutcomes.ExecuteAsync(async ct => await api.SubmitOrderAsync(order.Id, ct), cancellationToken);
        session.OrderSubmitted(order.Id, clock.GetTimestamp());

        await SetOrderStateAsync(session, order.Id, OrderState.Acknowledged, cancellationToken);
    }

    private static Task<CompanyState> SetOrderStateAsync(CompanySession session, string orderId, OrderState orderState, CancellationToken cancellationToken) =>
        session.UpdateAsync(
            s =>
            {
                var order = s.Orders.First(o => o.Id == orderId);
                return order.State == orderState ? s : s with { Orders = s.Orders.Replace(order, order with { State = orderState }) };
            },
            cancellationToken);

    private async Task AwaitOrderAsync(CompanySession session, AwaitOrderStep step, CancellationToken cancellationToken)
    {
        var order = OrderOf(session, step.Company, step.Order);
        // An order finishes a processing time after BT accepted its submit, so reads are timed from then, not from the
        // start of this step (a state write and a wait for the step lie between, and they vary). An order an earlier
        // run submitted is timed from now, and the schedule does not learn from it.
        var submittedAt = session.SubmittedAt(order.Id);
        var started = submittedAt ?? clock.GetTimestamp();
        var deadline = clock.GetUtcNow() + options.OrderTimeout;
        OrderStatus status;
        var warnedUnknown = false;
        using (var poll = polls.Begin(OrderPollSchedule.KindOf(step.Operations), learn: submittedAt is not null))
        {
            var readAt = poll.FirstRead;
            while (true)
            {
                // A lock lost between reads ends the wait: no further read leaves for BT.
                await session.WaitAsync(ct => poll.WaitUntilAsync(readAt, () => clock.GetElapsedTime(started), clock, ct), cancellationToken);
                // When the read really left (after waiting for a slot): reading that long after the submit is what the
                // schedule learns works, or does not yet.
                TimeSpan sent;
                (status, sent) = await api.WithSlotAsync(
                    async bt =>
                    {
                        var leaving = clock.GetElapsedTime(started);
                        return (await bt.ReadOrderAsync(order.Id, cancellationToken), leaving);
                    },
                    cancellationToken);
                if (status.IsFinal)
                {
                    poll.Finished(sent);
                    break;
                }

                if (status.State == OrderState.Unknown && !warnedUnknown)
                {
                    warnedUnknown = true;
                    notice(step.Company, $"order {order.Id} is in state '{status.StateText}', which TMF622 does not name; waiting for a state whcctl knows (at most --order-timeout {options.OrderTimeout})");
                }

                if (clock.GetUtcNow() >= deadline)
                {
                    await SetOrderStateAsync(session, order.Id, status.State, cancellationToken);
                    throw new StepFailedException($"order {order.Id} is still {status.StateText} after {options.OrderTimeout}; a later apply picks it up where this one stopped");
                }

                readAt = poll.Unfinished(sent);
            }
        }

        if (status.State == OrderState.Completed)
        {
            var desired = session.Desired;
            await session.UpdateFromBtAsync(
                ct => api.ReadOwnCompanyAsync(session, ct),
                (s, inventory) =>
                {
                    // Reconciled while the order still counts as unfinished, so what it added is kept even where the
                    // manifest has since dropped it (a later order of this plan ceases it); then marked completed.
                    var reconciled = StateReconciler.Reconcile(s, desired, inventory);
                    var orderRecord = reconciled.Orders.First(o => o.Id == order.Id);
                    reconciled = reconciled with { Orders = reconciled.Orders.Replace(orderRecord, orderRecord with { State = OrderState.Completed }) };
                    // The company's cease completed: its state becomes a tombstone, which keeps the history (issue 25).
                    return orderRecord.Operations.Any(o => o.Address.Kind == ResourceKind.Company && o.Kind == OrderOperationKind.Cease)
                        ? reconciled with { Destroyed = new CompanyTombstone(clock.GetUtcNow(), s.Record?.Name, s.Record?.ServiceId) }
                        : reconciled;
                },
                cancellationToken);
            return;
        }

        await SetOrderStateAsync(session, order.Id, status.State, cancellationToken);
        throw new StepFailedException($"order {order.Id} ended {status.StateText.ToLowerInvariant()}: {status.FailureReason ?? "BT gave no reason"}");
    }
}

/// <summary>A step that cannot succeed, with a message for the user (no stack trace).</summary>
internal sealed class StepFailedException : Exception
{
    public StepFailedException(string message)
        : base(message)
    {
    }

    public StepFailedException()
    {
    }

    public StepFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
