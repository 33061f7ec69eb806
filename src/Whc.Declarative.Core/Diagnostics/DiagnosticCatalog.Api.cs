namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC4001-WHC4049: configuring and calling BT's WHC API (the client). WHC4050 and up belong to apply.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor ApiCredentialsMissing { get; } =
        Error("WHC4001", "WHC API credentials (WHC_CLIENT_ID, WHC_CLIENT_SECRET) are not set");

    public static DiagnosticDescriptor ApiEndpointInvalid { get; } =
        Error("WHC4002", "the WHC endpoint is neither a preset (sandbox, testa, production) nor an absolute http(s) URL");

    public static DiagnosticDescriptor ApiRoutesFileInvalid { get; } =
        Error("WHC4003", "the WHC routes file cannot be read or is not a JSON object of strings");

    public static DiagnosticDescriptor ApiRoutesFileUnknownKey { get; } =
        Error("WHC4004", "the WHC routes file names a route that does not exist");

    public static DiagnosticDescriptor ApiRouteTemplateInvalid { get; } =
        Error("WHC4005", "A WHC route is not an absolute path or lacks its required placeholder");

    public static DiagnosticDescriptor ContractFileInvalid { get; } =
        Error("WHC4006", "the WHC contract file cannot be read or is not a JSON object");

    public static DiagnosticDescriptor ContractUnknownKey { get; } =
        Error("WHC4007", "the WHC contract names a route, field or value whcctl does not know");

    public static DiagnosticDescriptor ContractValueInvalid { get; } =
        Error("WHC4008", "a value in the WHC contract is not allowed");

    public static DiagnosticDescriptor ApiUnauthorized { get; } =
        Error("WHC4010", "BT refused the credentials or the access token");

    public static DiagnosticDescriptor ApiRejected { get; } =
        Error("WHC4011", "BT rejected the request");

    public static DiagnosticDescriptor ApiNotFound { get; } =
        Error("WHC4012", "BT does not know the requested resource");

    public static DiagnosticDescriptor ApiRateLimited { get; } =
        Error("WHC4013", "BT's rate limit was still hit after the allowed retries");

    public static DiagnosticDescriptor ApiServerError { get; } =
        Error("WHC4014", "BT failed (5xx); the outcome of a changing call is unknown");

    public static DiagnosticDescriptor ApiTimeout { get; } =
        Error("WHC4015", "BT did not answer in time or the connection dropped; the outcome of a changing call is unknown");

    public static DiagnosticDescriptor ApiResponseInvalid { get; } =
        Error("WHC4016", "BT's answer does not match the documented wire format");

    public static DiagnosticDescriptor ApiEndpointInsecure { get; } =
        Error("WHC4017", "the WHC endpoint is not https (plain http is allowed only on loopback)");

    public static DiagnosticDescriptor ApiOriginNotAllowed { get; } =
        Error("WHC4018", "a WHC call would go to an origin that is neither the endpoint's nor one allowed with --allow-origin");

    public static DiagnosticDescriptor ApiRedirected { get; } =
        Error("WHC4019", "BT answered with a redirect, which whcctl never follows");

    public static DiagnosticDescriptor ApiAnswerUnbounded { get; } =
        Error("WHC4020", "BT's answer exceeded whcctl's bounds (size, time or pages)");
}
