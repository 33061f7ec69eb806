using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// The client cannot be configured (credentials, endpoint, contract or routes file). Carries the diagnostics the CLI
/// prints, every one found; its message never contains a secret.
/// </summary>
public sealed class WhcConfigurationException : Exception
{
    public WhcConfigurationException(Diagnostic diagnostic)
        : this([diagnostic])
    {
    }

    public WhcConfigurationException(ImmutableArray<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics.IsDefaultOrEmpty ? [DiagnosticCatalog.ApiConfigurationInvalid.At(SourceSpan.None)] : diagnostics;
    }

    public WhcConfigurationException()
        : this(DiagnosticCatalog.ApiConfigurationInvalid.At(SourceSpan.None))
    {
    }

    // The standard exception constructors: the message is the caller's, passed on as it is (free text by design).
    public WhcConfigurationException(string message)
        : this(DiagnosticCatalog.ApiEndpointInvalid.At(SourceSpan.None, message))
    {
    }

    public WhcConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [DiagnosticCatalog.ApiEndpointInvalid.At(SourceSpan.None, message)];
    }

    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>The first problem (most configuration errors have one).</summary>
    public Diagnostic Diagnostic => Diagnostics[0];
}
