using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Core.Api;

/// <summary>Turns a failed API call into the diagnostic the CLI prints (WHC4010-WHC4020).</summary>
public static class WhcApiDiagnostics
{
    public static DiagnosticDescriptor DescriptorFor(WhcApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Kind switch
        {
            WhcFailureKind.Unauthorized => DiagnosticCatalog.ApiUnauthorized,
            WhcFailureKind.NotFound => DiagnosticCatalog.ApiNotFound,
            WhcFailureKind.RateLimited => DiagnosticCatalog.ApiRateLimited,
            WhcFailureKind.ServerError when exception.Status is >= 200 and < 300 => DiagnosticCatalog.ApiResponseInvalid,
            WhcFailureKind.ServerError => DiagnosticCatalog.ApiServerError,
            WhcFailureKind.Timeout => DiagnosticCatalog.ApiTimeout,
            WhcFailureKind.Redirected => DiagnosticCatalog.ApiRedirected,
            WhcFailureKind.AnswerUnbounded => DiagnosticCatalog.ApiAnswerUnbounded,
            _ => DiagnosticCatalog.ApiRejected,
        };
    }

    /// <summary>The diagnostic for <paramref name="exception"/> at <paramref name="span"/> (e.g. the manifest of the company).</summary>
    public static Diagnostic ToDiagnostic(this WhcApiException exception, SourceSpan? span = null) =>
        // Free text on purpose: the failure was worded where BT's answer was read (and may quote BT), so it passes on.
        DescriptorFor(exception).At(span ?? SourceSpan.None, exception.Message);
}
