using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Operations;

/// <summary>
/// An order's life at BT: create (route <c>createOrder</c>, not idempotent: the intent's id is sent as the order's
/// externalId, and its effect is the order BT finds by it), then submit (idempotent at BT: a plain retried call).
/// </summary>
public sealed class CreateOrderOperation : BtOperation<CreateOrderIntent, OrderRequest, OrderStatus>
{
    public override string Name => IntentOperations.CreateOrder;

    public override string Tag => IntentOperations.CreateOrder;

    public override string Route => "createOrder";

    public override CreateOrderIntent Decode(IntentRecord intent) =>
        new(CreateOrderIntent.ReadOperations(Get(intent, "operations"), Get(intent, "operationsEscaped")), [.. (Get(intent, "numberRanges") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)]);

    /// <summary>Creates the order built for this intent (its externalId is the intent's id); BT answers with its id, pending.</summary>
    public override async Task<OrderStatus> CallAsync(IWhcApi api, CompanyState state, IntentRecord intent, CreateOrderIntent payload, OrderRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(input);
        if (input.ExternalId != intent.Id)
        {
            throw new ArgumentException("an order's externalId is its intent's id: that is how a lost answer is found", nameof(input));
        }

        var id = await api.CreateOrderAsync(input, cancellationToken);
        return new OrderStatus(id, intent.Id, OrderState.Pending, null);
    }

    /// <summary>Submits an order; idempotent at BT (an order submitted already is answered the same), so it is retried, not reconciled.</summary>
    public static Task SubmitAsync(IWhcApi api, string orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.SubmitOrderAsync(orderId, cancellationToken);
    }

    public override BtQuestions Questions(CompanyState state, IntentRecord intent, CreateOrderIntent payload)
    {
        ArgumentNullException.ThrowIfNull(intent);
        return BtQuestions.None with { OrderExternalIds = [intent.Id] };
    }

    public override Recognition<OrderStatus> Recognise(CompanyState state, IntentRecord intent, CreateOrderIntent payload, IntentAnswers answers, Claims claims)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(answers);
        if (!answers.OrdersByExternalId.TryGetValue(intent.Id, out var order))
        {
            return Recognition.Unknown<OrderStatus>($"order {intent.Id}: BT was not asked");
        }

        return order is null
            ? Recognition.NotFound<OrderStatus>($"order {intent.Id}: BT has no order with that externalId; the call did not go through")
            : Recognition.Found(order, $"order {intent.Id}: BT holds it as order {order.Id} ({order.State.ToString().ToLowerInvariant()}); recorded");
    }

    /// <summary>
    /// The order (once, by BT's id) with what it does and the ranges it activates, created when its intent was written;
    /// an order that adds the company uses up the qualification.
    /// </summary>
    public override CompanyState Record(CompanyState state, IntentRecord intent, CreateOrderIntent payload, OrderStatus result)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(result);
        var operations = payload.Operations.IsDefault ? [] : payload.Operations;
        var record = new OrderRecord(result.Id, intent.Id, intent.StepId, result.State, intent.StartedAt, [.. operations.Select(o => o.Address.ToString())])
        {
            Operations = operations,
            NumberRanges = payload.NumberRanges.IsDefault ? ImmutableArray<string>.Empty : payload.NumberRanges,
        };
        var usesQualification = operations.Any(o => o.Address.Kind == ResourceKind.Company && o.Kind == OrderOperationKind.Add);
        return state with
        {
            Orders = state.Orders.Any(o => o.Id == result.Id) ? state.Orders : state.Orders.Add(record),
            Record = usesQualification && state.Record?.Qualification is { } q ? state.Record with { Qualification = q with { Used = true } } : state.Record,
        };
    }
}
