using ICU4N.Text;

namespace Whc.Declarative.Manifests.Validation;

/// <summary>
/// The form free-text identifiers (usernames, site names, location codes, number block names) are compared in for
/// uniqueness: NFKC, so compatibility look-alikes (ｊａｎｅ and jane, ﬁ and fi, a composed and a decomposed é) cannot
/// pass as different. The runtime is built without ICU (InvariantGlobalization), where string.Normalize leaves
/// non-ASCII text as it is, so ICU4N's managed normaliser does it. Identifiers whose format allows only ASCII (company
/// key, extension, MAC address) need none: NFKC leaves ASCII unchanged.
/// </summary>
internal static class IdentifierNormalisation
{
    public static string Nfkc(string value) => System.Text.Ascii.IsValid(value) ? value : Normalizer2.NFKCInstance.Normalize(value);
}
