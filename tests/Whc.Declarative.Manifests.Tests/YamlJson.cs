using System.Collections.Immutable;
using Newtonsoft.Json.Linq;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Manifests.Yaml;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// The product's YAML tree as a Newtonsoft tree and back, for the tests only: NJsonSchema validates Newtonsoft trees,
/// and the mutation tests edit documents with Newtonsoft's paths.
/// </summary>
internal static class YamlJson
{
    public static JToken ToJson(YamlNode node) => node switch
    {
        YamlMapping mapping => new JObject(mapping.Entries.Select(e => new JProperty(e.Key, ToJson(e.Value)))),
        YamlSequence list => new JArray(list.Items.Select(ToJson)),
        YamlScalar { Kind: YamlScalarKind.Null } => JValue.CreateNull(),
        YamlScalar { Kind: YamlScalarKind.Boolean } scalar => new JValue(scalar.Boolean),
        YamlScalar { Kind: YamlScalarKind.Integer } scalar => new JValue(scalar.Integer),
        YamlScalar { Kind: YamlScalarKind.Float } scalar => new JValue(scalar.Number),
        YamlScalar scalar => new JValue(scalar.Text),
        _ => throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node)),
    };

    public static YamlNode ToYaml(JToken token)
    {
        var span = SourceSpan.None;
        return token switch
        {
            JObject obj => new YamlMapping(span, [.. obj.Properties().Select(p => new YamlEntry(p.Name, span, ToYaml(p.Value)))]),
            JArray array => new YamlSequence(span, [.. array.Select(ToYaml)]),
            JValue { Type: JTokenType.Boolean, Value: bool flag } => YamlScalar.Bool(span, flag ? "true" : "false", flag),
            JValue { Type: JTokenType.Integer, Value: long whole } => YamlScalar.Int(span, whole.ToString(System.Globalization.CultureInfo.InvariantCulture), whole),
            JValue { Type: JTokenType.Float, Value: double real } => YamlScalar.Float(span, real.ToString(System.Globalization.CultureInfo.InvariantCulture), real),
            JValue { Type: JTokenType.String, Value: string text } => YamlScalar.String(span, text),
            JValue { Type: JTokenType.Null } => YamlScalar.Null(span),
            _ => throw new ArgumentException($"unexpected token {token.Type}", nameof(token)),
        };
    }

    /// <summary>A Newtonsoft token's keys and indexes from the root, as <see cref="YamlPath.Segments"/> has them.</summary>
    public static ImmutableArray<string> Segments(JToken token)
    {
        var segments = new List<string>();
        for (var current = token; current.Parent is not null; current = current.Parent)
        {
            switch (current)
            {
                case JProperty property:
                    segments.Add(property.Name);
                    break;
                case var child when current.Parent is JArray array:
                    segments.Add(array.IndexOf(child).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        segments.Reverse();
        return [.. segments];
    }
}
