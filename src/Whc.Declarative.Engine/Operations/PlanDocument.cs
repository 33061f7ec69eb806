using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// The saved plan file's shape (plan format <see cref="PlanFile.CurrentFormatVersion"/>), apart from <see cref="PlanFile"/>:
/// read and written only through <see cref="PlanDocumentJson"/>, mapped to and from <see cref="PlanFile"/> in
/// <see cref="From"/> and <see cref="ToPlanFile"/>. The plan and request inside are today's Core records as they were
/// serialised before (the typed plan steps of issue 26 will get a mapping of their own here).
/// </summary>
internal sealed record PlanDocument(int FormatVersion, string WhcctlVersion, string Endpoint, string PlanHash, Plan Plan, PlanRequest Request)
{
    public static PlanDocument From(PlanFile file) =>
        new(file.FormatVersion, file.WhcctlVersion, file.Endpoint, file.PlanHash, file.Plan, file.Request);

    public PlanFile ToPlanFile() => new(FormatVersion, WhcctlVersion, Endpoint, PlanHash, Plan, Request);
}

/// <summary>What a saved plan's hash covers: the endpoint, the plan and the request (not the hash, nor the versions).</summary>
internal sealed record PlanHashedContent(string Endpoint, Plan Plan, PlanRequest Request);

/// <summary>
/// Source-generated JSON for the plan file (no reflection over our own types: the native executable runs the same code).
/// A field this whcctl does not know is refused (<see cref="JsonUnmappedMemberHandling.Disallow"/>): a plan is never
/// applied with part of it left out.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters =
    [
        typeof(CamelCaseEnum<PlanMode>), typeof(CamelCaseEnum<ChangeAction>), typeof(CamelCaseEnum<StepKind>), typeof(CamelCaseEnum<StepKind>),
        typeof(CamelCaseEnum<ResourceKind>), typeof(CamelCaseEnum<DiagnosticSeverity>), typeof(CamelCaseEnum<OrderState>),
        typeof(CamelCaseEnum<OrderOperationKind>), typeof(CamelCaseEnum<OrderItemAction>), typeof(PlanFileValueConverter), typeof(PlanStepJson.StepConverter), typeof(PlanStepJson.IdConverter),
        typeof(CamelCaseEnum<IntentOutcome>), typeof(CamelCaseEnum<WhcFailureKind>), typeof(CamelCaseEnum<Core.Inventory.CompanyStatus>),
        typeof(CamelCaseEnum<Core.Inventory.NumberRangeStatus>),
    ])]
[JsonSerializable(typeof(PlanDocument))]
[JsonSerializable(typeof(PlanHashedContent))]
[JsonSerializable(typeof(CompanyPlan))]
internal sealed partial class PlanDocumentJson : JsonSerializerContext;

/// <summary>An enum as its camelCase name, as the plan file has always written them (integers still read).</summary>
internal sealed class CamelCaseEnum<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;

/// <summary>
/// The canonical form of a JSON value that fingerprints and hashes are taken over: object keys sorted (ordinal), no
/// insignificant whitespace, strings escaped as System.Text.Json's default encoder does, numbers as written. So a
/// hash does not change with indentation or the order a serialiser happens to emit properties in.
/// </summary>
internal static class CanonicalJson
{
    public static byte[] Of(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            Write(writer, node);
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject value:
                writer.WriteStartObject();
                foreach (var (name, item) in value.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, item);
                }

                writer.WriteEndObject();
                break;
            case JsonArray items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
