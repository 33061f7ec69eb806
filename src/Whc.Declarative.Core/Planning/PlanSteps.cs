using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>The BT call a step makes, as plans show it (<c>kind</c> in the plan JSON); a ported ringfence is a ringfence.</summary>
public enum StepKind
{
    Qualify,
    RingFence,
    CreateAddress,
    CreateOrder,
    SubmitOrder,
    AwaitOrder,
}

/// <summary>The order a submit or await step is about: one this plan creates, or one an earlier apply created.</summary>
public abstract record OrderRef
{
    private protected OrderRef()
    {
    }

    /// <summary>How step ids write it: the plan's order number, or BT's order id.</summary>
    public abstract string Text { get; }
}

/// <summary>An order this plan creates, by its number in the plan (its create step records BT's id in state).</summary>
public sealed record PlannedOrder(int Number) : OrderRef
{
    public override string Text => Number.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An order an earlier apply created and that has not finished, by BT's order id.</summary>
public sealed record ExistingOrder(string OrderId) : OrderRef
{
    public override string Text => OrderId;
}

/// <summary>
/// A step's id: its company, its kind and what it is about. Built only by the factories here, compared by value; its
/// text form (<see cref="ToString"/>) is the id plans have always shown: <c>acme:qualify</c>, <c>acme:ringfence:brum</c>,
/// <c>acme:ringfence:brum:01216000000</c> (a ported range, by its first number), <c>acme:address:hq</c>,
/// <c>acme:order-1:create</c>, <c>acme:order-ORD-9:await</c>.
/// </summary>
public sealed record StepId
{
    private StepId(string company, StepKind kind, string? subject, string? rangeStart, OrderRef? order)
    {
        Company = company;
        Kind = kind;
        Subject = subject;
        RangeStart = rangeStart;
        Order = order;
    }

    public string Company { get; }

    public StepKind Kind { get; }

    /// <summary>The number block of a ringfence, the site of an address step; null otherwise.</summary>
    public string? Subject { get; }

    /// <summary>The first number of the range a ported ringfence asks for; null otherwise.</summary>
    public string? RangeStart { get; }

    /// <summary>The order of an order step; null otherwise.</summary>
    public OrderRef? Order { get; }

    public static StepId Qualify(string company) => new(company, StepKind.Qualify, null, null, null);

    public static StepId RingFence(string company, string block) => new(company, StepKind.RingFence, block, null, null);

    public static StepId PortedRingFence(string company, string block, string rangeStart) => new(company, StepKind.RingFence, block, rangeStart, null);

    public static StepId CreateAddress(string company, string site) => new(company, StepKind.CreateAddress, site, null, null);

    public static StepId CreateOrder(string company, int number) => new(company, StepKind.CreateOrder, null, null, new PlannedOrder(number));

    public static StepId SubmitOrder(string company, OrderRef order) => new(company, StepKind.SubmitOrder, null, null, order);

    public static StepId AwaitOrder(string company, OrderRef order) => new(company, StepKind.AwaitOrder, null, null, order);

    /// <summary>The id within its company: the text form without the company key (<c>ringfence:brum</c>).</summary>
    public string Local => Kind switch
    {
        StepKind.Qualify => "qualify",
        StepKind.RingFence => RangeStart is null ? $"ringfence:{Subject}" : $"ringfence:{Subject}:{RangeStart}",
        StepKind.CreateAddress => $"address:{Subject}",
        StepKind.CreateOrder => $"order-{Order?.Text}:create",
        StepKind.SubmitOrder => $"order-{Order?.Text}:submit",
        _ => $"order-{Order?.Text}:await",
    };

    public override string ToString() => $"{Company}:{Local}";

    /// <summary>
    /// Reads the text form back, for ids state keeps as text (an intent's or an order's step). Company keys hold no
    /// colon; where a block or site name does, or an earlier apply's order id is all digits, the text is ambiguous and
    /// reads as the planner would have written it for names without colons: the last all-digit part of a ringfence is a
    /// ported range's first number, and <c>order-DIGITS</c> is an order of the plan. Plan files store ids by their
    /// parts, never as text, so nothing is lost there.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out StepId? id)
    {
        id = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon <= 0)
        {
            return false;
        }

        var company = text[..colon];
        var rest = text[(colon + 1)..];
        if (rest == "qualify")
        {
            id = Qualify(company);
        }
        else if (rest.StartsWith("ringfence:", StringComparison.Ordinal) && rest.Length > "ringfence:".Length)
        {
            var block = rest["ringfence:".Length..];
            var last = block.LastIndexOf(':');
            id = last > 0 && last < block.Length - 1 && block[(last + 1)..].All(char.IsAsciiDigit)
                ? PortedRingFence(company, block[..last], block[(last + 1)..])
                : RingFence(company, block);
        }
        else if (rest.StartsWith("address:", StringComparison.Ordinal) && rest.Length > "address:".Length)
        {
            id = CreateAddress(company, rest["address:".Length..]);
        }
        else if (rest.StartsWith("order-", StringComparison.Ordinal) && rest.LastIndexOf(':') is var end && end > "order-".Length)
        {
            var order = rest["order-".Length..end];
            var planned = order.All(char.IsAsciiDigit) && order[0] != '0' && int.TryParse(order, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : (int?)null;
            id = rest[(end + 1)..] switch
            {
                "create" when planned is { } n => CreateOrder(company, n),
                "submit" => SubmitOrder(company, planned is { } n ? new PlannedOrder(n) : new ExistingOrder(order)),
                "await" => AwaitOrder(company, planned is { } n ? new PlannedOrder(n) : new ExistingOrder(order)),
                _ => null,
            };
        }

        return id is not null;
    }
}

/// <summary>
/// One API step: a type per kind, carrying what it needs beyond the company's manifest and state. Its id follows from
/// what it is about (<see cref="StepId"/>); <see cref="DependsOn"/> names the steps that must finish first. Ids that
/// BT assigns (service ids, NAD keys of new addresses, ranges) are resolved from state when the step runs.
/// </summary>
public abstract record PlanStep
{
    private protected PlanStep(string company, string description, ImmutableArray<StepId> dependsOn)
    {
        Company = company;
        Description = description;
        DependsOn = dependsOn.IsDefault ? [] : dependsOn;
    }

    public string Company { get; init; }

    public string Description { get; init; }

    public ImmutableArray<StepId> DependsOn { get; init; }

    public abstract StepId Id { get; }

    /// <summary>The BT call, as plans show it.</summary>
    public StepKind Kind => Id.Kind;
}

/// <summary>Qualifies the company at BT (a new company, or one whose qualification has expired).</summary>
public sealed record QualifyStep(string Company, string Description, ImmutableArray<StepId> DependsOn)
    : PlanStep(Company, Description, DependsOn)
{
    public override StepId Id => StepId.Qualify(Company);
}

/// <summary>Ringfences <paramref name="Quantity"/> new numbers of BT's choosing for a number block.</summary>
public sealed record RingFenceStep(string Company, string Description, ImmutableArray<StepId> DependsOn, string Block, int Quantity)
    : PlanStep(Company, Description, DependsOn)
{
    public override StepId Id => StepId.RingFence(Company, Block);
}

/// <summary>Ringfences exactly one ported range for a number block.</summary>
public sealed record PortedRingFenceStep(string Company, string Description, ImmutableArray<StepId> DependsOn, string Block, PortedRange Range)
    : PlanStep(Company, Description, DependsOn)
{
    public override StepId Id => StepId.PortedRingFence(Company, Block, Range.StartNumber);
}

/// <summary>Finds or creates the address of a site, for its NAD key.</summary>
public sealed record CreateAddressStep(string Company, string Description, ImmutableArray<StepId> DependsOn, string Site)
    : PlanStep(Company, Description, DependsOn)
{
    public override StepId Id => StepId.CreateAddress(Company, Site);
}

/// <summary>Creates order <paramref name="Number"/> of this plan with its operations (not yet submitted).</summary>
public sealed record CreateOrderStep(string Company, string Description, ImmutableArray<StepId> DependsOn, int Number, ImmutableArray<OrderOperation> Operations)
    : PlanStep(Company, Description, DependsOn)
{
    public ImmutableArray<OrderOperation> Operations { get; init; } = Operations.IsDefault ? [] : Operations;

    public override StepId Id => StepId.CreateOrder(Company, Number);

    /// <summary>The order as its submit and await steps name it.</summary>
    public PlannedOrder Order => new(Number);
}

/// <summary>Submits an order: this plan's (found through its create step) or one an earlier apply created.</summary>
public sealed record SubmitOrderStep(string Company, string Description, ImmutableArray<StepId> DependsOn, OrderRef Order, ImmutableArray<OrderOperation> Operations)
    : PlanStep(Company, Description, DependsOn)
{
    public ImmutableArray<OrderOperation> Operations { get; init; } = Operations.IsDefault ? [] : Operations;

    public override StepId Id => StepId.SubmitOrder(Company, Order);
}

/// <summary>Waits for an order to complete; its operations choose how often BT is asked.</summary>
public sealed record AwaitOrderStep(string Company, string Description, ImmutableArray<StepId> DependsOn, OrderRef Order, ImmutableArray<OrderOperation> Operations)
    : PlanStep(Company, Description, DependsOn)
{
    public ImmutableArray<OrderOperation> Operations { get; init; } = Operations.IsDefault ? [] : Operations;

    public override StepId Id => StepId.AwaitOrder(Company, Order);
}
