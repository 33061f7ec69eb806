using System.Globalization;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC302x: <c>whcctl import</c>, adopting a company that already exists at BT.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor ImportCompanyNotFound { get; } = Error("WHC3020", "the company to import is not at BT (or is ceased)");

    /// <summary>The company name asked for, and whether BT holds it ceased.</summary>
    public static DiagnosticTemplate<string, bool> ImportCompanyNotAtBt { get; } =
        ImportCompanyNotFound.Template((string name, bool ceased) => $"BT has no company named '{name}'{(ceased ? " that is not ceased" : string.Empty)}; check --name (it is matched exactly)");

    public static DiagnosticDescriptor ImportRegisteredElsewhere { get; } = Error("WHC3021", "the company to import is registered to another reseller");

    public static DiagnosticTemplate<string, string> ImportRegisteredToAnother { get; } =
        ImportRegisteredElsewhere.Template((string name, string cugId) => $"'{name}' is registered at BT to another reseller, not to {cugId}; only the owning reseller can import it");

    public static DiagnosticDescriptor ImportStateExists { get; } = Error("WHC3022", "the company to import already has state");

    /// <summary>The company key, its state's serial, and the store's description.</summary>
    public static DiagnosticTemplate<string, long, string> ImportStateAlreadyHeld { get; } =
        ImportStateExists.Template((string company, long serial, string store) => string.Create(CultureInfo.InvariantCulture, $"'{company}' already has state (serial {serial}) in {store}; import only adopts companies whcctl does not manage yet"));
}
