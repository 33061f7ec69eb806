using System.Collections.Immutable;
using System.Text.Json;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// Every path the client calls, in one place, because several are [ASSUMED] (BT publishes nothing for them) and may
/// differ per environment. Defaults follow docs/whc-api.md. Placeholders in braces are filled with escaped values.
/// Override any subset from a JSON file with <see cref="Load"/> (keys are the camelCase property names).
/// </summary>
public sealed record WhcRoutes
{
    /// <summary>The environment variable the CLI reads a routes file path from (as an alternative to <c>--routes</c>).</summary>
    public const string EnvironmentVariable = "WHC_ROUTES";

    public static WhcRoutes Default { get; } = new();

    /// <summary>OAuth token path (GET or POST per <see cref="TokenMethod"/>, with <c>?grant_type=client_credentials</c>).</summary>
    public string Token { get; init; } = "/oauth/accesstoken";

    /// <summary>HTTP method of the token call: <c>GET</c> (BT's guide) or <c>POST</c>.</summary>
    public string TokenMethod { get; init; } = "GET";

    public string VerifyCompany { get; init; } = "/bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/company";

    /// <summary>The reseller's companies, paged with <c>offset</c> and <c>limit</c> [ASSUMED]; bulk import lists them.</summary>
    public string ListCompanies { get; init; } = "/bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/companies";

    public string VerifyDomain { get; init; } = "/bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/domain";

    public string VerifySite { get; init; } = "/bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/site";

    public string VerifyUser { get; init; } = "/bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/user";

    public string VerifyExtension { get; init; } = "/bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/extension";

    public string Qualify { get; init; } = "/bt-wholesale/v1/whc/productOfferingQualification";

    public string RingFence { get; init; } = "/v1/resourceManagement/directoryNumbers/ringFence";

    /// <summary>Address search (GET) and create (POST).</summary>
    public string GeographicAddress { get; init; } = "/common/geographicAddressManagement/v1/geographicAddress";

    /// <summary>Order create (POST) and list by externalId (GET).</summary>
    public string ProductOrder { get; init; } = "/bt-wholesale/v1/whc/productOrder";

    public string ProductOrderById { get; init; } = "/bt-wholesale/v1/whc/productOrder/{orderId}";

    public string SubmitOrder { get; init; } = "/bt-wholesale/v1/order/submit-product-order";

    /// <summary>The route keys a file may set, with the placeholder each route must contain (if any).</summary>
    private static readonly ImmutableSortedDictionary<string, (string? Placeholder, Func<WhcRoutes, string, WhcRoutes> Set)> Keys =
        new Dictionary<string, (string?, Func<WhcRoutes, string, WhcRoutes>)>
        {
            ["token"] = (null, (r, v) => r with { Token = v }),
            ["tokenMethod"] = (null, (r, v) => r with { TokenMethod = v }),
            ["verifyCompany"] = ("{cugId}", (r, v) => r with { VerifyCompany = v }),
            ["listCompanies"] = ("{cugId}", (r, v) => r with { ListCompanies = v }),
            ["verifyDomain"] = ("{cugId}", (r, v) => r with { VerifyDomain = v }),
            ["verifySite"] = ("{cugId}", (r, v) => r with { VerifySite = v }),
            ["verifyUser"] = ("{cugId}", (r, v) => r with { VerifyUser = v }),
            ["verifyExtension"] = ("{cugId}", (r, v) => r with { VerifyExtension = v }),
            ["qualify"] = (null, (r, v) => r with { Qualify = v }),
            ["ringFence"] = (null, (r, v) => r with { RingFence = v }),
            ["geographicAddress"] = (null, (r, v) => r with { GeographicAddress = v }),
            ["productOrder"] = (null, (r, v) => r with { ProductOrder = v }),
            ["productOrderById"] = ("{orderId}", (r, v) => r with { ProductOrderById = v }),
            ["submitOrder"] = (null, (r, v) => r with { SubmitOrder = v }),
        }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>All route keys a routes file may contain, sorted.</summary>
    public static ImmutableArray<string> KeyNames { get; } = [.. Keys.Keys];

    /// <summary>Reads a JSON object of route overrides on top of <see cref="Default"/>.</summary>
    /// <exception cref="WhcConfigurationException">WHC4003 unreadable/not an object of strings, WHC4004 unknown key,
    /// WHC4005 a path that does not start with '/' or lacks its placeholder.</exception>
    public static WhcRoutes Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Invalid(DiagnosticCatalog.ApiRoutesFileInvalid, SourceSpan.FileOnly(path), $"cannot read the routes file: {ex.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Parses routes JSON; <paramref name="sourceName"/> names the file in diagnostics.</summary>
    public static WhcRoutes Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            var span = ex.LineNumber is long line
                ? new SourceSpan(sourceName, (int)line + 1, (int)(ex.BytePositionInLine ?? 0) + 1)
                : SourceSpan.FileOnly(sourceName);
            throw Invalid(DiagnosticCatalog.ApiRoutesFileInvalid, span, "the routes file is not valid JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(DiagnosticCatalog.ApiRoutesFileInvalid, SourceSpan.FileOnly(sourceName), "the routes file must be a JSON object of route names to paths");
            }

            var routes = Default;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!Keys.TryGetValue(property.Name, out var key))
                {
                    throw Invalid(
                        DiagnosticCatalog.ApiRoutesFileUnknownKey,
                        SourceSpan.FileOnly(sourceName),
                        $"unknown route '{property.Name}'; known routes: {string.Join(", ", KeyNames)}");
                }

                if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not { } value)
                {
                    throw Invalid(DiagnosticCatalog.ApiRoutesFileInvalid, SourceSpan.FileOnly(sourceName), $"route '{property.Name}' must be a string");
                }

                CheckValue(property.Name, value, key.Placeholder, sourceName);
                routes = key.Set(routes, value);
            }

            return routes;
        }
    }

    private static void CheckValue(string name, string value, string? placeholder, string sourceName)
    {
        if (name == "tokenMethod")
        {
            if (value is not ("GET" or "POST"))
            {
                throw Invalid(DiagnosticCatalog.ApiRouteTemplateInvalid, SourceSpan.FileOnly(sourceName), "route 'tokenMethod' must be GET or POST");
            }

            return;
        }

        if (!value.StartsWith('/') || value.Contains('?', StringComparison.Ordinal) || value.Contains("//", StringComparison.Ordinal))
        {
            throw Invalid(
                DiagnosticCatalog.ApiRouteTemplateInvalid,
                SourceSpan.FileOnly(sourceName),
                $"route '{name}' must be a path starting with '/' without a query: '{value}'");
        }

        if (placeholder is not null && !value.Contains(placeholder, StringComparison.Ordinal))
        {
            throw Invalid(
                DiagnosticCatalog.ApiRouteTemplateInvalid,
                SourceSpan.FileOnly(sourceName),
                $"route '{name}' must contain the placeholder {placeholder}: '{value}'");
        }
    }

    private static WhcConfigurationException Invalid(DiagnosticDescriptor descriptor, SourceSpan span, string message) =>
        new(descriptor.At(span, message));
}
