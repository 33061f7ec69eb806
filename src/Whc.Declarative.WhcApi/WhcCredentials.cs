using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// The OAuth client credentials of a BT developer app (consumer key and secret). <see cref="ToString"/> never shows
/// the secret, so a credentials value can be logged or put in an exception message by mistake without leaking it.
/// </summary>
public sealed record WhcCredentials(string ClientId, string ClientSecret)
{
    public const string ClientIdVariable = "WHC_CLIENT_ID";

    public const string ClientSecretVariable = "WHC_CLIENT_SECRET";

    /// <summary>Reads <c>WHC_CLIENT_ID</c> and <c>WHC_CLIENT_SECRET</c>; names every missing variable (never a value).</summary>
    /// <exception cref="WhcConfigurationException">WHC4001 when either variable is missing or empty.</exception>
    public static WhcCredentials FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var clientId = environment.GetValueOrDefault(ClientIdVariable);
        var clientSecret = environment.GetValueOrDefault(ClientSecretVariable);
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(clientId))
        {
            missing.Add(ClientIdVariable);
        }

        if (string.IsNullOrWhiteSpace(clientSecret))
        {
            missing.Add(ClientSecretVariable);
        }

        if (missing.Count > 0 || clientId is null || clientSecret is null)
        {
            throw new WhcConfigurationException(DiagnosticCatalog.ApiCredentialsNotSet.At(SourceSpan.None, string.Join(" and ", missing), missing.Count));
        }

        return new WhcCredentials(clientId.Trim(), clientSecret.Trim());
    }

    public override string ToString() => $"WhcCredentials {{ ClientId = {ClientId}, ClientSecret = *** }}";
}
