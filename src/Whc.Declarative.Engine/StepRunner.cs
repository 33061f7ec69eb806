using System.Collections.Immutable;
using Polly;
using Polly.Retry;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Operations;
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

    public async Task RunAsync(CompanySession session, PlanStep step, CancellationToken cancellationToken)
    {
        try
        {
            await (step switch
            {
                QualifyStep => QualifyAsync(session, cancellationToken),
                RingFenceStep ringFence => RingFenceAsync(session, ringFence, cancellationToken),
                PortedRingFenceStep ported => RingFencePortedAsync(session, ported, cancellationToken),
                CreateAddressStep address => ResolveAddressAsync(session, address, cancellationToken),
                CreateOrderStep create => CreateOrderAsync(session, create, cancellationToken),
                SubmitOrderStep submit => SubmitOrderAsync(session, submit, cancellationToken),
                AwaitOrderStep awaitStep => AwaitOrderAsync(session, awaitStep, cancellationToken),
                _ => throw new InvalidOperationException($"unknown step kind {step.Kind}"),
            });
        }
        catch (OperationFailedException e)
        {
            throw new StepFailedException(e.Message, e);
        }
    }

    private static CompanyManifest Desired(CompanySession session) =>
        session.Desired ?? throw new StepFailedException("this step needs the company's manifest, and the plan has none");

    /// <summary>
    /// The exactly-once pattern within one run, for any operation module: write the intent, make the module's call,
    /// record its result with the module's Record. An attempt whose outcome was unknown left its intent: the next
    /// attempt asks the module's questions (one read), and the module's Recognise (the same the reconciler runs across
    /// runs, with what state and the run's other intents claim) says found (recorded, no call), not found (call again,
    /// same intent), or unknown (the step fails and the intent stays for the next plan). <paramref name="input"/>
    /// builds what the call needs besides the payload, given the intent (an order's externalId is the intent's id).
    /// </summary>
    private async Task<TResult> ExactlyOnceAsync<TPayload, TInput, TResult>(
        CompanySession session,
        string stepId,
        BtOperation<TPayload, TInput, TResult> module,
        TPayload payload,
        Func<IntentRecord, TInput> input,
        CancellationToken cancellationToken)
        where TPayload : IntentDetails
        where TResult : class =>
        await unknownOutcomes.ExecuteAsync(async ct =>
        {
            var intent = session.State.Intents.FirstOrDefault(i => module.Reads(i) && i.StepId == stepId);
            if (intent is not null)
            {
                var answers = await module.Questions(session.State, intent, payload).AskAsync(api, ct);
                var state = session.State;
                var claims = Claims.InRun(state, intent, state.Intents.Select(i => (i, BtOperations.Decode(i))));
                var recognised = module.Recognise(state, intent, payload, answers, claims);
                switch (recognised)
                {
                    case { Outcome: IntentOutcome.Found, Result: { } found }:
                        var settled = intent;
                        await session.UpdateAsync(s => BtOperations.Settled(module.Record(s, settled, payload, found), settled), ct);
                        return found;
                    case { Outcome: IntentOutcome.Unknown }:
                        throw new StepFailedException($"{recognised.Summary}; the next plan settles it from BT before anything is called again");
                }
            }
            else
            {
                intent = new IntentRecord($"whcctl-{Guid.NewGuid():N}", stepId, module.Tag, clock.GetUtcNow(), payload.ToMap());
                var written = intent;
                await session.UpdateAsync(s => s with { Intents = s.Intents.Add(written) }, ct, recordsBtChange: false);
            }

            try
            {
                var result = await module.CallAsync(api, session.State, intent, payload, input(intent), ct);
                var done = intent;
                await session.UpdateAsync(s => BtOperations.Settled(module.Record(s, done, payload, result), done), ct);
                return result;
            }
            catch (WhcApiException e) when (!e.OutcomeUnknown)
            {
                // BT refused it: nothing happened, so the intent is void.
                var refused = intent;
                await session.UpdateAsync(s => BtOperations.Settled(s, refused), ct, recordsBtChange: false);
                throw;
            }
        }, cancellationToken);

    private static NoInput Nothing(IntentRecord intent) => NoInput.Value;

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

        await ExactlyOnceAsync(session, StepId.Qualify(session.Plan.Company).ToString(), BtOperations.Qualify, QualifyOperation.Intent(request, desired.Protect), Nothing, cancellationToken);
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
        await EnsureLiveQualificationAsync(session, unused: false, cancellationToken);
        var payload = new RingFenceIntent(blockName, block.AreaCode, step.Quantity) { BlockQuantity = block.Quantity, Protect = block.Protect };
        await ExactlyOnceAsync(session, step.Id.ToString(), BtOperations.RingFence, payload, Nothing, cancellationToken);
    }

    /// <summary>A ported range is asked for by its ends: its effect is exactly that range held for the company.</summary>
    private async Task RingFencePortedAsync(CompanySession session, PortedRingFenceStep step, CancellationToken cancellationToken)
    {
        var block = Desired(session).NumberBlocks.First(b => b.Name == step.Block);
        await EnsureLiveQualificationAsync(session, unused: false, cancellationToken);
        await ExactlyOnceAsync(session, step.Id.ToString(), BtOperations.PortedRingFence, PortedRingFenceOperation.Intent(block.Name, step.Range, block.Quantity, block.Protect), Nothing, cancellationToken);
    }

    private async Task ResolveAddressAsync(CompanySession session, CreateAddressStep step, CancellationToken cancellationToken)
    {
        var desired = Desired(session);
        var siteName = step.Site;
        var site = desired.Sites.First(s => s.Name == siteName);
        var postcode = site.Address.Postcode ?? throw new StepFailedException($"site '{siteName}' has neither a postcode nor a NAD key");
        var payload = CreateAddressOperation.Intent(site, postcode);

        // Searching is a read: an address BT lists already is taken as it is, without an intent or a call.
        if (CreateAddressOperation.Match(payload, await api.SearchAddressesAsync(postcode, cancellationToken)) is { } found)
        {
            await session.UpdateAsync(s => CreateAddressOperation.Adopt(s, payload, found), cancellationToken);
            return;
        }

        await ExactlyOnceAsync(session, step.Id.ToString(), BtOperations.CreateAddress, payload, Nothing, cancellationToken);
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
            BtOperations.CreateOrder,
            new CreateOrderIntent(operations, ranges),
            intent =>
            {
                try
                {
                    return OrderBuilder.Build(intent.Id, desired, session.State, operations, session.Plan.NadKeys, session.Plan.ReservedNumbers);
                }
                catch (OrderBuildException e)
                {
                    throw new StepFailedException($"cannot build the order: {e.Message}");
                }
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
        await unknownOutcomes.ExecuteAsync(async ct => await CreateOrderOperation.SubmitAsync(api, order.Id, ct), cancellationToken);
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
