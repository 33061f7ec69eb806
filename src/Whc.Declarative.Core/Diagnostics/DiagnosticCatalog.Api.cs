namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC4001-WHC4049: configuring and calling BT's WHC API (the client). WHC4050 and up belong to apply.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor ApiCredentialsMissing { get; } =
        Error("WHC4001", "WHC API credentials (WHC_CLIENT_ID, WHC_CLIENT_SECRET) are not set");

    /// <summary>The names of the variables not set, joined with " and ", and how many there are.</summary>
    public static DiagnosticTemplate<string, int> ApiCredentialsNotSet { get; } =
        ApiCredentialsMissing.Template((string names, int count) => $"{names} {(count == 1 ? "is" : "are")} not set; set the client id and secret of your BT developer app in the environment");

    public static DiagnosticDescriptor ApiEndpointInvalid { get; } =
        Error("WHC4002", "the WHC endpoint is neither a preset (sandbox, testa, production) nor an absolute http(s) URL");

    /// <summary>The value is named without its user info (<see cref="UrlText.WithoutCredentials"/>).</summary>
    public static DiagnosticTemplate<string> ApiEndpointNotPresetNorUrl { get; } =
        ApiEndpointInvalid.Template((string endpoint) => $"endpoint '{endpoint}' is not one of sandbox, testa, production, nor an absolute http(s) URL without query");

    /// <summary>Never names the value: its user info may hold a password.</summary>
    public static DiagnosticTemplate ApiEndpointUserInfo { get; } =
        ApiEndpointInvalid.Template("the endpoint URL must not contain user info; credentials come from WHC_CLIENT_ID and WHC_CLIENT_SECRET");

    /// <summary>An endpoint given as a URL to the client, named without its user info.</summary>
    public static DiagnosticTemplate<string> ApiEndpointUrlUserInfo { get; } =
        ApiEndpointInvalid.Template((string endpoint) => $"endpoint '{endpoint}' must not contain user info; credentials come from WHC_CLIENT_ID and WHC_CLIENT_SECRET");

    /// <summary>A configuration refused with no diagnostic of its own.</summary>
    public static DiagnosticTemplate ApiConfigurationInvalid { get; } = ApiEndpointInvalid.Template("invalid WHC client configuration");

    public static DiagnosticDescriptor ApiRoutesFileInvalid { get; } =
        Error("WHC4003", "the WHC routes file cannot be read or is not a JSON object of strings");

    public static DiagnosticTemplate<string> ApiRoutesFileUnreadable { get; } = ApiRoutesFileInvalid.Template((string reason) => $"cannot read the file: {reason}");

    public static DiagnosticTemplate ApiRoutesFileNotObject { get; } = ApiRoutesFileInvalid.Template("the routes file must be a JSON object of route names to paths");

    public static DiagnosticTemplate ApiRoutesFileNotJson { get; } = ApiRoutesFileInvalid.Template("the routes file is not valid JSON");

    /// <summary>The key given twice, or null when it is not safe or short enough to print.</summary>
    public static DiagnosticTemplate<string?> ApiRoutesFileKeyTwice { get; } =
        ApiRoutesFileInvalid.Template((string? key) => $"the routes file gives the key{(key is null ? string.Empty : $" '{key}'")} twice in one object: each key may appear once, or which one counts is a guess");

    public static DiagnosticTemplate<string> ApiRoutesFileRouteNotString { get; } = ApiRoutesFileInvalid.Template((string route) => $"route '{route}' must be a string");

    public static DiagnosticDescriptor ApiRoutesFileUnknownKey { get; } =
        Error("WHC4004", "the WHC routes file names a route that does not exist");

    /// <summary>The key, and every key a routes file may hold.</summary>
    public static DiagnosticTemplate<string, IEnumerable<string>> ApiRoutesFileUnknownRoute { get; } =
        ApiRoutesFileUnknownKey.Template((string route, IEnumerable<string> known) => $"unknown route '{route}'; known routes: {string.Join(", ", known)}");

    public static DiagnosticDescriptor ApiRouteTemplateInvalid { get; } =
        Error("WHC4005", "A WHC route is not an absolute path or lacks its required placeholder");

    public static DiagnosticTemplate<string> ApiRouteMethodInvalid { get; } = ApiRouteTemplateInvalid.Template((string route) => $"route '{route}' must be GET or POST");

    /// <summary>The route, and the path check's finding (shared with the contract file's, which words it).</summary>
    public static DiagnosticTemplate<string, string> ApiRoutePathInvalid { get; } = ApiRouteTemplateInvalid.Template((string route, string problem) => $"route '{route}' {problem}");

    public static DiagnosticDescriptor ContractFileInvalid { get; } =
        Error("WHC4006", "the WHC contract file cannot be read or is not a JSON object");

    public static DiagnosticTemplate<string> ContractFileUnreadable { get; } = ContractFileInvalid.Template((string reason) => $"cannot read the file: {reason}");

    public static DiagnosticTemplate ContractFileNotObject { get; } =
        ContractFileInvalid.Template("the contract file must be a JSON object (a partial contract document)");

    public static DiagnosticTemplate ContractFileNotJson { get; } = ContractFileInvalid.Template("the contract file is not valid JSON");

    /// <summary>The key given twice, or null when it is not safe or short enough to print.</summary>
    public static DiagnosticTemplate<string?> ContractFileKeyTwice { get; } =
        ContractFileInvalid.Template((string? key) => $"the contract file gives the key{(key is null ? string.Empty : $" '{key}'")} twice in one object: each key may appear once, or which one counts is a guess");

    public static DiagnosticDescriptor ContractUnknownKey { get; } =
        Error("WHC4007", "the WHC contract names a route, field or value whcctl does not know");

    // Each names the field path first; a list argument is what may stand there, in the order the contract gives it.
    public static DiagnosticTemplate<string, IEnumerable<string>> ContractUnknownPart { get; } =
        ContractUnknownKey.Template((string path, IEnumerable<string> parts) => $"{path}: not a part of the contract; parts: {string.Join(", ", parts)}");

    public static DiagnosticTemplate<string, IEnumerable<string>> ContractUnknownRoute { get; } =
        ContractUnknownKey.Template((string path, IEnumerable<string> routes) => $"{path}: no such route; routes: {string.Join(", ", routes)}");

    public static DiagnosticTemplate<string, IEnumerable<string>> ContractUnknownRouteKey { get; } =
        ContractUnknownKey.Template((string path, IEnumerable<string> keys) => $"{path}: a route has {string.Join(", ", keys)}");

    public static DiagnosticTemplate<string> ContractUnknownQueryNone { get; } =
        ContractUnknownKey.Template((string path) => $"{path}: this route sends no query parameter of whcctl's (fixed ones go under queryValues)");

    public static DiagnosticTemplate<string, IEnumerable<string>> ContractUnknownQuery { get; } =
        ContractUnknownKey.Template((string path, IEnumerable<string> sent) => $"{path}: whcctl sends {string.Join(", ", sent)} here (fixed ones go under queryValues)");

    public static DiagnosticTemplate<string, IEnumerable<string>> ContractUnknownName { get; } =
        ContractUnknownKey.Template((string path, IEnumerable<string> known) => $"{path}: known: {string.Join(", ", known)}");

    public static DiagnosticTemplate<string, IEnumerable<string>> ContractUnknownProduct { get; } =
        ContractUnknownKey.Template((string path, IEnumerable<string> products) => $"{path}: products: {string.Join(", ", products)}");

    public static DiagnosticTemplate<string, IEnumerable<string>> ContractUnknownCharacteristic { get; } =
        ContractUnknownKey.Template((string path, IEnumerable<string> sets) => $"{path}: whcctl sets {string.Join(", ", sets)} (other characteristics go in the manifest's characteristics:)");

    public static DiagnosticTemplate<string> ContractUnknownEnvelopePart { get; } =
        ContractUnknownKey.Template((string path) => $"{path}: the error envelope has fields and noData");

    public static DiagnosticDescriptor ContractValueInvalid { get; } =
        Error("WHC4008", "a value in the WHC contract is not allowed");

    public static DiagnosticTemplate<string> ContractNotObject { get; } = ContractValueInvalid.Template((string path) => $"{path}: must be an object");

    public static DiagnosticTemplate<string> ContractProvenanceNotObject { get; } =
        ContractValueInvalid.Template((string path) => $"{path}: must be an object (what contract show prints; it is ignored when read)");

    public static DiagnosticTemplate<string> ContractVersionUnknown { get; } = ContractValueInvalid.Template((string path) => $"{path}: this whcctl reads contract version 1");

    public static DiagnosticTemplate<string> ContractRouteRemoved { get; } =
        ContractValueInvalid.Template((string path) => $"{path}: whcctl calls every route: a route cannot be removed, only moved");

    // The checks of the merged contract's values; each names the field path first.
    public static DiagnosticTemplate<string> ContractRouteMissing { get; } = ContractValueInvalid.Template((string path) => $"{path}: every route needs method, path and success");

    /// <summary>The field path of the last route, the routes sharing one method and path, and that method and path.</summary>
    public static DiagnosticTemplate<string, IEnumerable<string>, string> ContractRoutesShareEndpoint { get; } =
        ContractValueInvalid.Template((string path, IEnumerable<string> routes, string endpoint) =>
            $"{path}: {string.Join(" and ", routes)} are both {endpoint}: each route needs its own method and path");

    public static DiagnosticTemplate<string, string, IEnumerable<string>> ContractOrderStateUnknown { get; } =
        ContractValueInvalid.Template((string path, string state, IEnumerable<string> states) => $"{path}: '{state}' is not a state whcctl knows; states: {string.Join(", ", states)}");

    /// <summary>BT's word, the failure stem found in it, the states it may mean, and the state the contract gave it.</summary>
    public static DiagnosticTemplate<string, string, string, IEnumerable<string>, string> ContractOrderStateNamesFailure { get; } =
        ContractValueInvalid.Template((string path, string word, string stem, IEnumerable<string> states, string state) =>
            $"{path}: '{word}' names a failure ('{stem}'): it can only mean {string.Join(", ", states)}, never '{state}'");

    public static DiagnosticTemplate<string> ContractNoDataStatusNot404 { get; } =
        ContractValueInvalid.Template((string path) => $"{path}: must be 404: only BT's 404 'no data' answer means 'free' or 'not there'; read from an outage (5xx), "
            + "a refused token (401, 403), a redirect or an answer, it would make a plan re-create what exists");

    public static DiagnosticTemplate<string> ContractNoDataCodeMissing { get; } =
        ContractValueInvalid.Template((string path) => $"{path}: must be a non-empty string: the code of BT's 'no data' answer");

    public static DiagnosticTemplate<string, string> ContractNoDataCodeGatewayNoRoute { get; } =
        ContractValueInvalid.Template((string path, string code) => $"{path}: '{code}' is the gateway's code for a route that does not exist: a wrong path must stay an error, never read as 'not there'");

    public static DiagnosticTemplate<string> ContractRouteMethodInvalid { get; } = ContractValueInvalid.Template((string path) => $"{path}: must be GET or POST");

    public static DiagnosticTemplate<string> ContractRouteMethodNotPost { get; } =
        ContractValueInvalid.Template((string path) => $"{path}: must be POST: this call changes something at BT, and a GET could be repeated or cached on the way");

    /// <summary>The field path and the path check's finding (one of the RoutePath* wordings below, shared with the routes file).</summary>
    public static DiagnosticTemplate<string, string> ContractRoutePathInvalid { get; } = ContractValueInvalid.Template((string path, string finding) => $"{path}: {finding}");

    public static DiagnosticTemplate<string> ContractQueryValueClash { get; } =
        ContractValueInvalid.Template((string path) => $"{path}: is also the wire name of one of whcctl's parameters");

    public static DiagnosticTemplate<string> ContractSuccessNot2xx { get; } = ContractValueInvalid.Template((string path) => $"{path}: must list 2xx statuses");

    public static DiagnosticTemplate<string> ContractSuccessEmpty { get; } = ContractValueInvalid.Template((string path) => $"{path}: must list at least one 2xx status");

    public static DiagnosticTemplate<string> ContractNamesNotObject { get; } = ContractValueInvalid.Template((string path) => $"{path}: must be an object of names");

    public static DiagnosticTemplate<string> ContractNameNotPlain { get; } =
        ContractValueInvalid.Template((string path) => $"{path}: must be a non-empty string without control characters");

    public static DiagnosticTemplate<string, string, IEnumerable<string>> ContractNameGivenTwice { get; } =
        ContractValueInvalid.Template((string path, string wire, IEnumerable<string> names) => $"{path}: '{wire}' is given to {string.Join(" and ", names)}: each needs its own name on the wire");

    public static DiagnosticTemplate<string> ContractFieldMapNotObject { get; } = ContractValueInvalid.Template((string path) => $"{path}: must be an object of field paths");

    public static DiagnosticTemplate<string> ContractFieldMapEntryInvalid { get; } =
        ContractValueInvalid.Template((string path) => $"{path}: must be a field path or a non-empty list of them");

    public static DiagnosticTemplate<string, string> ContractFieldNotSingleName { get; } = ContractValueInvalid.Template((string path, string text) => $"{path}: '{text}' must be a single field name");

    public static DiagnosticTemplate<string, string> ContractFieldNotPath { get; } =
        ContractValueInvalid.Template((string path, string text) => $"{path}: '{text}' is not a field path (names joined by '.', 'name[]' for each element of a list)");

    public static DiagnosticTemplate<string, string> ContractFieldEndsInList { get; } = ContractValueInvalid.Template((string path, string text) => $"{path}: '{text}' must end in a field name, not a list");

    public static DiagnosticTemplate<string, string, string> ContractFieldOtherListElements { get; } =
        ContractValueInvalid.Template((string path, string wire, string canonical) => $"{path}: '{wire}' must sit in the same list elements as '{canonical}' (the same path up to the last [])");

    public static DiagnosticTemplate<string> ContractFieldNoBody { get; } = ContractValueInvalid.Template((string path) => $"{path}: whcctl sends no body on this route: there is nothing to map");

    /// <summary>Where in the body (a label such as "the body" or "each element of items"), and the field stepped to.</summary>
    public static DiagnosticTemplate<string, string, string> ContractFieldInList { get; } =
        ContractValueInvalid.Template((string path, string label, string name) => $"{path}: {label} is a list: step into its elements with '[]' before '{name}'");

    public static DiagnosticTemplate<string, string, string> ContractFieldInValue { get; } =
        ContractValueInvalid.Template((string path, string label, string name) => $"{path}: {label} is a value: it has no field '{name}'");

    public static DiagnosticTemplate<string, string, bool> ContractFieldNotList { get; } =
        ContractValueInvalid.Template((string path, string label, bool isObject) => $"{path}: {label} is {(isObject ? "an object" : "a value")}, not a list: '[]' never matches it");

    public static DiagnosticTemplate<string, string, string> ContractFieldOverAnswerField { get; } =
        ContractValueInvalid.Template((string path, string wire, string field) => $"{path}: '{wire}' is whcctl's own field in this answer (or lies in one): read for '{field}', it would be missing where whcctl reads it");

    public static DiagnosticTemplate<string, string, string> ContractFieldOverBodyField { get; } =
        ContractValueInvalid.Template((string path, string wire, string field) => $"{path}: '{wire}' is whcctl's own field in this body (or lies in one): moving '{field}' there would write over it");

    public static DiagnosticTemplate<string, string, IEnumerable<string>> ContractWireGivenTwice { get; } =
        ContractValueInvalid.Template((string path, string wire, IEnumerable<string> fields) => $"{path}: '{wire}' is given to {string.Join(" and ", fields)}: one would take the other's value");

    // The route path check's findings, worded once: the contract file puts the field path before them
    // (ContractRoutePathInvalid), the routes file the route (ApiRoutePathInvalid).
    public static string RoutePathNotHttps => "an absolute route must be https (http only on loopback): tokens travel with it";

    public static string RoutePathWithExtras => "an absolute route carries no user info, query or fragment";

    public static string RoutePathNotAPath(string target) => $"must be a path starting with '/' (or an https URL), without a query: '{target}'";

    public static string RoutePathWithoutPlaceholder(string placeholder, string target) => $"must contain the placeholder {placeholder}: '{target}'";

    public static string RoutePathOtherPlaceholder(string? placeholder) => placeholder is null ? "takes no placeholder" : $"takes only the placeholder {placeholder}";

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

    public static DiagnosticTemplate<string> ApiEndpointPlainHttp { get; } =
        ApiEndpointInsecure.Template((string endpoint) => $"endpoint '{endpoint}' is plain http: whcctl sends credentials and tokens only over https (plain http only on loopback: 127.0.0.0/8, ::1, localhost)");

    public static DiagnosticTemplate<string> ApiEndpointNotHttp { get; } = ApiEndpointInsecure.Template((string endpoint) => $"endpoint '{endpoint}' must be an https URL");

    public static DiagnosticTemplate<string> ApiAllowedOriginPlainHttp { get; } =
        ApiEndpointInsecure.Template((string origin) => $"allowed origin '{origin}' is plain http: calls leave loopback only over https");

    public static DiagnosticTemplate<string, string> ApiContractRoutePlainHttp { get; } =
        ApiEndpointInsecure.Template((string route, string target) => $"contract route '{route}' goes to '{target}' over plain http: calls leave loopback only over https");

    public static DiagnosticDescriptor ApiOriginNotAllowed { get; } =
        Error("WHC4018", "a WHC call would go to an origin that is neither the endpoint's nor one allowed with --allow-origin");

    public static DiagnosticTemplate<string> ApiAllowedOriginNotUrl { get; } =
        ApiOriginNotAllowed.Template((string origin) => $"allowed origin '{origin}' is not an https URL such as https://host or https://host:port");

    public static DiagnosticTemplate<string> ApiAllowedOriginNotBare { get; } =
        ApiOriginNotAllowed.Template((string origin) => $"allowed origin '{origin}' must be only scheme, host and port (no user info, path, query or fragment)");

    /// <summary>The route, its origin, the endpoint's origin, and the environment variable that allows more.</summary>
    public static DiagnosticTemplate<string, string, string, string> ApiContractRouteOtherOrigin { get; } =
        ApiOriginNotAllowed.Template((string route, string origin, string endpointOrigin, string variable) =>
            $"contract route '{route}' goes to origin {origin}, which is not the endpoint's ({endpointOrigin}); a contract cannot add an origin: allow it yourself with --allow-origin or {variable}");

    /// <summary>The call's description and the refusal of the handler next to the wire (its words, naming the origin).</summary>
    public static DiagnosticTemplate<string, string> ApiCallRefused { get; } =
        ApiOriginNotAllowed.Template((string call, string refusal) => $"{call}: {refusal}");

    public static DiagnosticDescriptor ApiRedirected { get; } =
        Error("WHC4019", "BT answered with a redirect, which whcctl never follows");

    public static DiagnosticDescriptor ApiAnswerUnbounded { get; } =
        Error("WHC4020", "BT's answer exceeded whcctl's bounds (size, time or pages)");
}
