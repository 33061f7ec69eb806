using System.Text.Json.Nodes;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Contract;

/// <summary>
/// A path to a field in a JSON body: names joined by '.', a name ending in <c>[]</c> (or a bare <c>[]</c>) stepping
/// into each element of a list, e.g. <c>productOfferingQualificationItem[].product.serviceId</c>. A field moves only
/// within its list element: both paths of a mapping share everything up to their last <c>[]</c>.
/// </summary>
internal sealed record FieldPath(IReadOnlyList<FieldPath.Step> Prefix, IReadOnlyList<string> Rest)
{
    internal sealed record Step(string Name, bool EachElement);

    public static FieldPath Parse(string text)
    {
        var steps = text.Split('.').Select(s => s.EndsWith("[]", StringComparison.Ordinal) ? new Step(s[..^2], true) : new Step(s, false)).ToList();
        var lastList = steps.FindLastIndex(s => s.EachElement);
        return new FieldPath(steps.Take(lastList + 1).ToList(), steps.Skip(lastList + 1).Select(s => s.Name).ToList());
    }

    /// <summary>Why <paramref name="text"/> is not a field path, or null. A flat path is a single name.</summary>
    public static ContractFinding? Problem(string text, bool flat)
    {
        if (flat)
        {
            return text.Length > 0 && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('[', StringComparison.Ordinal) && !text.Contains(']', StringComparison.Ordinal) && !text.Any(char.IsControl)
                ? null
                : (span, path) => DiagnosticCatalog.ContractFieldNotSingleName.At(span, path, text);
        }

        var segments = text.Split('.');
        foreach (var segment in segments)
        {
            var name = segment.EndsWith("[]", StringComparison.Ordinal) ? segment[..^2] : segment;
            if ((name.Length == 0 && segment != "[]") || name.Contains('[', StringComparison.Ordinal) || name.Contains(']', StringComparison.Ordinal) || name.Any(char.IsControl))
            {
                return (span, path) => DiagnosticCatalog.ContractFieldNotPath.At(span, path, text);
            }
        }

        return segments[^1].EndsWith("[]", StringComparison.Ordinal) ? (span, path) => DiagnosticCatalog.ContractFieldEndsInList.At(span, path, text) : null;
    }

    /// <summary>Why a field cannot move from <paramref name="canonical"/> to <paramref name="wire"/>, or null.</summary>
    public static ContractFinding? PrefixProblem(string canonical, string wire)
    {
        var a = Parse(canonical).Prefix;
        var b = Parse(wire).Prefix;
        return a.SequenceEqual(b) ? null : (span, path) => DiagnosticCatalog.ContractFieldOtherListElements.At(span, path, wire, canonical);
    }

    /// <summary>The objects the rest of the path is relative to: the root, or each element of the lists stepped into.</summary>
    public IEnumerable<JsonObject> Contexts(JsonNode? root)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in Prefix)
        {
            current = current
                .Select(n => step.Name.Length == 0 ? n : (n as JsonObject)?[step.Name])
                .SelectMany(n => n is JsonArray list ? list : Enumerable.Empty<JsonNode?>());
        }

        return current.OfType<JsonObject>().ToList();
    }
}
