using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Diagnostics;

using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// Where a client may send what (issue 22): https only, plain http only on loopback; every request to the endpoint's
/// origin or one the user allowed (never one a contract names on its own); Basic credentials only on the token call;
/// no redirect followed; every answer body capped. Built from the options when the client is built, so a library user
/// passing <see cref="WhcClientOptions.BaseUri"/> directly is held to it as the CLI is.
/// </summary>
public sealed class WhcOutboundPolicy
{
    /// <summary>Origins besides the endpoint's, comma or white-space separated (as <c>--allow-origin</c>).</summary>
    public const string AllowOriginsVariable = "WHC_ALLOW_ORIGINS";

    public const long DefaultMaxAnswerBytes = 4L * 1024 * 1024;

    /// <summary>No option raises the answer cap past this: BT's largest documented answer is a small fraction of it.</summary>
    public const long MaxAnswerBytesCeiling = 64L * 1024 * 1024;

    private readonly ImmutableArray<string> allowed;

    private WhcOutboundPolicy(ImmutableArray<string> allowed, string tokenOrigin)
    {
        this.allowed = allowed;
        TokenOrigin = tokenOrigin;
    }

    /// <summary>The only origin Basic credentials are sent to.</summary>
    internal string TokenOrigin { get; }

    /// <summary>True for a loopback host: 127.0.0.0/8, ::1 or <c>localhost</c> (<see cref="LoopbackHost"/>).</summary>
    public static bool IsLoopback(Uri uri) => LoopbackHost.Is(uri);

    /// <summary>Scheme, host and port, lower case with the port spelled out: what two URLs must share to be one origin.</summary>
    public static string Origin(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
        return string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme.ToLowerInvariant()}://{host.ToLowerInvariant()}:{uri.Port}");
    }

    /// <summary>Splits <c>WHC_ALLOW_ORIGINS</c>: commas or white space between the origins.</summary>
    public static IReadOnlyList<string> SplitList(string? text) =>
        text is null ? [] : text.Split([',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The origins a user allowed (<c>--allow-origin</c>, <c>WHC_ALLOW_ORIGINS</c>): each an absolute https URL (http
    /// only on loopback) with nothing after the origin but an optional '/'.
    /// </summary>
    /// <exception cref="WhcConfigurationException">WHC4017 for plain http off loopback, WHC4018 for anything else that is not an origin; every one found.</exception>
    public static IReadOnlyList<Uri> ParseAllowedOrigins(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var origins = new List<Uri>();
        var problems = new List<Diagnostic>();
        foreach (var value in values)
        {
            var text = value.Trim();
            var named = UrlText.WithoutCredentials(text);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                problems.Add(DiagnosticCatalog.ApiAllowedOriginNotUrl.At(SourceSpan.None, named));
            }
            else if (uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || text.EndsWith('?') || text.EndsWith('#'))
            {
                problems.Add(DiagnosticCatalog.ApiAllowedOriginNotBare.At(SourceSpan.None, named));
            }
            else if (Insecure(uri))
            {
                problems.Add(DiagnosticCatalog.ApiAllowedOriginPlainHttp.At(SourceSpan.None, Display(uri)));
            }
            else
            {
                origins.Add(new Uri(Origin(uri) + "/"));
            }
        }

        return problems.Count == 0 ? origins : throw new WhcConfigurationException([.. problems]);
    }

    /// <summary>
    /// The policy for these options: the endpoint is https (or loopback), the allowed origins are origins, and every
    /// contract route resolves to an allowed origin. Every problem at once.
    /// </summary>
    /// <exception cref="WhcConfigurationException">WHC4017 or WHC4018.</exception>
    internal static WhcOutboundPolicy For(WhcClientOptions options)
    {
        var endpoint = options.BaseUri;
        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            throw new WhcConfigurationException(DiagnosticCatalog.ApiEndpointNotHttp.At(SourceSpan.None, Display(endpoint)));
        }

        if (Insecure(endpoint))
        {
            throw new WhcConfigurationException(InsecureEndpoint(endpoint));
        }

        if (endpoint.UserInfo.Length > 0)
        {
            throw new WhcConfigurationException(DiagnosticCatalog.ApiEndpointUrlUserInfo.At(SourceSpan.None, Display(endpoint)));
        }

        var origins = ParseAllowedOrigins((options.AllowedOrigins ?? []).Select(o => o.OriginalString));
        var allowed = origins.Select(Origin).Prepend(Origin(endpoint)).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var policy = new WhcOutboundPolicy(allowed, Origin(Resolve(options.BaseUri, options.Contract.Route(ContractRoutes.Token).Path)));
        var problems = new List<Diagnostic>();
        foreach (var (name, route) in options.Contract.Routes)
        {
            // Placeholders stand for values the client escapes; any will do to find the origin.
            var target = Resolve(endpoint, route.Path.Replace("{cugId}", "x", StringComparison.Ordinal).Replace("{orderId}", "x", StringComparison.Ordinal));
            if (Insecure(target))
            {
                problems.Add(DiagnosticCatalog.ApiContractRoutePlainHttp.At(SourceSpan.None, name, Display(target)));
            }
            else if (!policy.Allows(target))
            {
                problems.Add(DiagnosticCatalog.ApiContractRouteOtherOrigin.At(SourceSpan.None, name, Origin(target), Origin(endpoint), AllowOriginsVariable));
            }
        }

        return problems.Count == 0 ? policy : throw new WhcConfigurationException([.. problems]);
    }

    /// <summary>WHC4017 for an http endpoint off loopback, naming https and the endpoint without user info.</summary>
    internal static Diagnostic InsecureEndpoint(Uri endpoint) =>
        DiagnosticCatalog.ApiEndpointPlainHttp.At(SourceSpan.None, Display(endpoint));

    internal static bool Insecure(Uri uri) => uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri));

    /// <summary>The URL a route's path makes: an absolute route replaces the endpoint, a path is appended to it.</summary>
    internal static Uri Resolve(Uri endpoint, string path) =>
        path.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(path, UriKind.Absolute, out var absolute)
            ? absolute
            : new Uri(endpoint.AbsoluteUri.TrimEnd('/') + path);

    /// <summary>
    /// Whoever built the handler, it follows no redirect: a 3xx is answered as an error, never followed. Walked down
    /// the caller's own layers to the wire, where a redirect would be followed out of the policy handler's sight.
    /// </summary>
    internal static void FollowNoRedirect(HttpMessageHandler? handler)
    {
        for (var current = handler; current is not null; current = (current as DelegatingHandler)?.InnerHandler)
        {
            switch (current)
            {
                case SocketsHttpHandler sockets:
                    sockets.AllowAutoRedirect = false;
                    break;
                case HttpClientHandler client:
                    client.AllowAutoRedirect = false;
                    break;
            }
        }
    }

    /// <summary>True when <paramref name="target"/> is on the endpoint's origin or an allowed one.</summary>
    internal bool Allows(Uri target) => allowed.Contains(Origin(target), StringComparer.Ordinal);

    /// <summary>A byte count as people read it: "4 MiB", "64 KiB" or "1000 bytes".</summary>
    internal static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB"),
        >= 1024 when bytes % 1024 == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    /// <summary>"host:port" in ASCII (IDN hosts punycoded, IPv6 in brackets).</summary>
    internal static string HostAndPort(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
        return string.Create(CultureInfo.InvariantCulture, $"{host}:{uri.Port}");
    }

    /// <summary>The URL without user info, query or fragment: safe to print.</summary>
    internal static string Display(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
        var port = uri.IsDefaultPort ? string.Empty : string.Create(CultureInfo.InvariantCulture, $":{uri.Port}");
        return $"{uri.Scheme}://{host}{port}{uri.AbsolutePath}";
    }
}
