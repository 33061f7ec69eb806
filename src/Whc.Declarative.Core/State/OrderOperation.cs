namespace Whc.Declarative.Core.State;

/// <summary>One item of an order in domain words: add, modify or cease one resource.</summary>
public sealed record OrderOperation(ResourceAddress Address, OrderOperationKind Kind);

public enum OrderOperationKind
{
    Add,
    Modify,
    Cease,
}
