using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Contract;

/// <summary>
/// The routes file of whcctl before the contract (<c>--routes</c>, <c>WHC_ROUTES</c>): a flat JSON object of route
/// paths. Still read, as an overlay that sets <c>routes.*.path</c> (and the token's method).
/// </summary>
public static class LegacyRoutesFile
{
    public const string EnvironmentVariable = "WHC_ROUTES";

    /// <summary>Each old key and the contract routes whose path it sets.</summary>
    private static readonly ImmutableSortedDictionary<string, ImmutableArray<string>> Keys = new Dictionary<string, ImmutableArray<string>>
    {
        ["token"] = [ContractRoutes.Token],
        ["tokenMethod"] = [ContractRoutes.Token],
        ["verifyCompany"] = [ContractRoutes.ReadCompany],
        ["listCompanies"] = [ContractRoutes.ListCompanies],
        ["verifyDomain"] = [ContractRoutes.VerifyDomain],
        ["verifySite"] = [ContractRoutes.VerifySite],
        ["verifyUser"] = [ContractRoutes.VerifyUser],
        ["verifyExtension"] = [ContractRoutes.VerifyExtension],
        ["verifyNumbers"] = [ContractRoutes.VerifyNumbers],
        ["qualify"] = [ContractRoutes.Qualify],
        ["ringFence"] = [ContractRoutes.RingFence],
        ["geographicAddress"] = [ContractRoutes.SearchAddress, ContractRoutes.CreateAddress],
        ["productOrder"] = [ContractRoutes.CreateOrder, ContractRoutes.ListOrders],
        ["productOrderById"] = [ContractRoutes.ReadOrder],
        ["submitOrder"] = [ContractRoutes.SubmitOrder],
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>The keys a routes file may hold, sorted.</summary>
    public static ImmutableArray<string> KeyNames { get; } = [.. Keys.Keys];

    /// <summary>The routes file as a contract overlay; WHC4003 (not an object of strings), WHC4004 (unknown key), WHC4005 (bad path).</summary>
    public static (ContractOverlay? Overlay, Diagnostic? Problem) ToOverlay(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: ContractLoader.ReadOptions);
        }
        catch (JsonException ex)
        {
            return (null, ContractLoader.NotJson(DiagnosticCatalog.ApiRoutesFileKeyTwice, DiagnosticCatalog.ApiRoutesFileNotJson, ex, json, source));
        }

        if (root is not JsonObject members)
        {
            return (null, DiagnosticCatalog.ApiRoutesFileNotObject.At(SourceSpan.FileOnly(source)));
        }

        var routes = new JsonObject();
        foreach (var (key, value) in members)
        {
            if (!Keys.TryGetValue(key, out var targets))
            {
                return (null, DiagnosticCatalog.ApiRoutesFileUnknownRoute.At(SourceSpan.FileOnly(source), key, KeyNames));
            }

            if (value is not JsonValue v || !v.TryGetValue(out string? text))
            {
                return (null, DiagnosticCatalog.ApiRoutesFileRouteNotString.At(SourceSpan.FileOnly(source), key));
            }

            if (key == "tokenMethod" && text is not ("GET" or "POST"))
            {
                return (null, DiagnosticCatalog.ApiRouteMethodInvalid.At(SourceSpan.FileOnly(source), key));
            }

            if (key != "tokenMethod" && ContractLoader.PathProblem(text, ContractRoutes.Shapes[targets[0]].Placeholder) is { } problem)
            {
                return (null, DiagnosticCatalog.ApiRoutePathInvalid.At(SourceSpan.FileOnly(source), key, problem));
            }

            foreach (var target in targets)
            {
                if (routes[target] is not JsonObject route)
                {
                    route = [];
                    routes[target] = route;
                }

                route[key == "tokenMethod" ? "method" : "path"] = text;
            }
        }

        return (new ContractOverlay(new JsonObject { ["routes"] = routes }, source), null);
    }
}
