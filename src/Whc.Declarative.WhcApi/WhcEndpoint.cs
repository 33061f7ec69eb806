using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// Where the client talks to: a preset name or any absolute URL. The <c>sandbox</c> preset has no fixed URL; the CLI
/// starts the embedded sandbox and uses its address (<see cref="IsSandbox"/>). <see cref="Name"/> is what states, plans
/// and apply record and compare; <see cref="ToString"/> is for display only.
/// </summary>
public sealed record WhcEndpoint(EndpointName Name, Uri? BaseUri)
{
    public const string EnvironmentVariable = "WHC_ENDPOINT";

    public static WhcEndpoint Sandbox { get; } = new(EndpointName.Of("sandbox"), null);

    public static WhcEndpoint TestA { get; } = new(EndpointName.Of("testa"), new Uri("https://api-testa.business.bt.com"));

    public static WhcEndpoint Production { get; } = new(EndpointName.Of("production"), new Uri("https://api.wholesale.bt.com"));

    /// <summary>True for the preset the CLI resolves to its embedded sandbox.</summary>
    public bool IsSandbox => BaseUri is null;

    /// <summary>
    /// Resolves a value from <c>--endpoint</c> or <c>WHC_ENDPOINT</c>: <c>sandbox</c> (the default when empty),
    /// <c>testa</c>, <c>production</c> (case-insensitive), or an absolute https URL (http only on loopback).
    /// </summary>
    /// <exception cref="WhcConfigurationException">WHC4017 for plain http off loopback, WHC4002 for anything else.</exception>
    public static WhcEndpoint Resolve(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Sandbox;
        }

        foreach (var preset in new[] { Sandbox, TestA, Production })
        {
            if (string.Equals(preset.Name.Value, text, StringComparison.OrdinalIgnoreCase))
            {
                return preset;
            }
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                // Never echo the value: user info may hold a password.
                throw new WhcConfigurationException(DiagnosticCatalog.ApiEndpointUserInfo.At(SourceSpan.None));
            }

            if (WhcOutboundPolicy.Insecure(uri))
            {
                // Refused before anything is sent: Basic credentials and tokens would travel in clear.
                throw new WhcConfigurationException(WhcOutboundPolicy.InsecureEndpoint(uri));
            }

            if (string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
            {
                return new WhcEndpoint(EndpointName.Of(uri.AbsoluteUri), uri);
            }
        }

        throw new WhcConfigurationException(DiagnosticCatalog.ApiEndpointNotPresetNorUrl.At(SourceSpan.None, UrlText.WithoutCredentials(text)));
    }

    /// <summary>
    /// The endpoint <c>--endpoint</c> names, or <c>WHC_ENDPOINT</c> when the option is not given: how plan, apply and
    /// import all derive it (a plan with <c>--refresh=false</c> too, without connecting).
    /// </summary>
    public static WhcEndpoint Resolve(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Resolve(option ?? environment(EnvironmentVariable));
    }

    public override string ToString() => BaseUri is null ? Name.Value : BaseUri.AbsoluteUri;
}
