namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC302x: <c>whcctl import</c>, adopting a company that already exists at BT.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor ImportCompanyNotFound { get; } = Error("WHC3020", "the company to import is not at BT (or is ceased)");

    public static DiagnosticDescriptor ImportRegisteredElsewhere { get; } = Error("WHC3021", "the company to import is registered to another reseller");

    public static DiagnosticDescriptor ImportStateExists { get; } = Error("WHC3022", "the company to import already has state");
}
