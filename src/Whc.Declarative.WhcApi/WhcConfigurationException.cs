using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// The client cannot be configured (credentials, endpoint, routes file). Carries the diagnostic the CLI prints;
/// its message never contains a secret.
/// </summary>
public sealed class WhcConfigurationException : Exception
{
    public WhcConfigurationException(Diagnostic diagnostic)
        : base(diagnostic.ToString())
    {
        Diagnostic = diagnostic;
    }

    public WhcConfigurationException()
        : this(DiagnosticCatalog.ApiEndpointInvalid.At(SourceSpan.None, "invalid WHC client configuration"))
    {
    }

    public WhcConfigurationException(string message)
        : this(DiagnosticCatalog.ApiEndpointInvalid.At(SourceSpan.None, message))
    {
    }

    public WhcConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostic = DiagnosticCatalog.ApiEndpointInvalid.At(SourceSpan.None, message);
    }

    public Diagnostic Diagnostic { get; }
}
