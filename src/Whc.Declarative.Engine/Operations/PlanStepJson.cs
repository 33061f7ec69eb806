using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// How a saved plan holds its steps: each tagged by its type (<c>kind</c>) with its own payload, and step ids by their
/// parts, never as text (an id's text form cannot tell every block name or order id apart).
/// </summary>
internal static class PlanStepJson
{
    /// <summary>
    /// The type's metadata from the options the plan file is read with (the source-generated context's), so nested
    /// values are written without reflection.
    /// </summary>
    private static System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    private const string Qualify = "qualify";
    private const string RingFence = "ringfence";
    private const string PortedRingFence = "ported-ringfence";
    private const string CreateAddress = "create-address";
    private const string CreateOrder = "create-order";
    private const string SubmitOrder = "submit-order";
    private const string AwaitOrder = "await-order";

    private static string Tag(StepKind kind) => kind switch
    {
        StepKind.Qualify => Qualify,
        StepKind.RingFence => RingFence,
        StepKind.CreateAddress => CreateAddress,
        StepKind.CreateOrder => CreateOrder,
        StepKind.SubmitOrder => SubmitOrder,
        _ => AwaitOrder,
    };

    private static void WriteOrder(Utf8JsonWriter json, OrderRef order)
    {
        if (order is PlannedOrder planned)
        {
            json.WriteNumber("order", planned.Number);
        }
        else
        {
            json.WriteString("orderId", order.Text);
        }
    }

    private static OrderRef ReadOrder(JsonElement element) =>
        element.TryGetProperty("orderId", out var id) ? new ExistingOrder(Text(id)) : new PlannedOrder(Number(element, "order"));

    private static string Text(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString() ?? string.Empty : throw new PlanFileContentException("a plan step holds something else where text belongs");

    /// <summary>A whole number the step needs; anything else is not a plan file (a JsonException, reported as such).</summary>
    private static int Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new PlanFileContentException($"a plan step has no whole number '{name}'");

    private static void Object(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PlanFileContentException("a plan step, or a step id, is not an object");
        }
    }

    /// <summary>
    /// Read strictly, as the rest of the plan file is: a field this whcctl does not know (in a step or a step id) is
    /// refused, never dropped (what is dropped is not hashed either, so the plan hash would not catch it).
    /// </summary>
    private static void Only(JsonElement element, string kind, bool id)
    {
        string[]? fields = (kind, id) switch
        {
            (Qualify, _) => [],
            (RingFence, true) => ["block"],
            (RingFence, false) => ["block", "quantity"],
            (PortedRingFence, true) => ["block", "startNumber"],
            (PortedRingFence, false) => ["block", "startNumber", "endNumber"],
            (CreateAddress, _) => ["site"],
            (CreateOrder, true) => ["order"],
            (CreateOrder, false) => ["order", "operations"],
            (SubmitOrder or AwaitOrder, true) => ["order", "orderId"],
            (SubmitOrder or AwaitOrder, false) => ["order", "orderId", "operations"],
            _ => null,
        };
        if (fields is null)
        {
            // A kind this whcctl does not know: refused as such by the caller.
            return;
        }

        string[] common = id ? ["company", "kind"] : ["kind", "company", "description", "dependsOn"];
        foreach (var property in element.EnumerateObject())
        {
            if (!common.Contains(property.Name, StringComparer.Ordinal) && !fields.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new PlanFileContentException($"a plan step{(id ? " id" : string.Empty)} of kind '{kind}' has a field '{property.Name}' this whcctl does not know");
            }
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? Text(value) : throw new PlanFileContentException($"a plan step has no '{name}'");

    internal sealed class IdConverter : JsonConverter<StepId>
    {
        public override StepId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return Parse(document.RootElement);
        }

        public override void Write(Utf8JsonWriter writer, StepId value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("company", value.Company);
            writer.WriteString("kind", value.RangeStart is null ? Tag(value.Kind) : PortedRingFence);
            if (value.Subject is { } subject)
            {
                writer.WriteString(value.Kind == StepKind.CreateAddress ? "site" : "block", subject);
            }

            if (value.RangeStart is { } start)
            {
                writer.WriteString("startNumber", start);
            }

            if (value.Order is { } order)
            {
                WriteOrder(writer, order);
            }

            writer.WriteEndObject();
        }

        public static StepId Parse(JsonElement id)
        {
            Object(id);
            var company = Text(id, "company");
            var kind = Text(id, "kind");
            Only(id, kind, id: true);
            return kind switch
            {
                Qualify => StepId.Qualify(company),
                RingFence => StepId.RingFence(company, Text(id, "block")),
                PortedRingFence => StepId.PortedRingFence(company, Text(id, "block"), Text(id, "startNumber")),
                CreateAddress => StepId.CreateAddress(company, Text(id, "site")),
                CreateOrder => StepId.CreateOrder(company, Number(id, "order")),
                SubmitOrder => StepId.SubmitOrder(company, ReadOrder(id)),
                AwaitOrder => StepId.AwaitOrder(company, ReadOrder(id)),
                var other => throw new PlanFileContentException($"unknown plan step kind '{other}'"),
            };
        }
    }

    internal sealed class StepConverter : JsonConverter<PlanStep>
    {
        public override PlanStep Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var step = document.RootElement;
            Object(step);
            var company = Text(step, "company");
            var description = Text(step, "description");
            ImmutableArray<StepId> dependsOn = step.TryGetProperty("dependsOn", out var after) && after.ValueKind == JsonValueKind.Array
                ? [.. after.EnumerateArray().Select(IdConverter.Parse)]
                : throw new PlanFileContentException("a plan step has no 'dependsOn' list");
            ImmutableArray<OrderOperation> Operations() =>
                step.TryGetProperty("operations", out var operations) ? operations.Deserialize(TypeInfo<ImmutableArray<OrderOperation>>(options)) : [];
            var kind = Text(step, "kind");
            Only(step, kind, id: false);
            return kind switch
            {
                Qualify => new QualifyStep(company, description, dependsOn),
                RingFence => new RingFenceStep(company, description, dependsOn, Text(step, "block"), Number(step, "quantity")),
                PortedRingFence => new PortedRingFenceStep(company, description, dependsOn, Text(step, "block"), new PortedRange(Text(step, "startNumber"), Text(step, "endNumber"))),
                CreateAddress => new CreateAddressStep(company, description, dependsOn, Text(step, "site")),
                CreateOrder => new CreateOrderStep(company, description, dependsOn, Number(step, "order"), Operations()),
                SubmitOrder => new SubmitOrderStep(company, description, dependsOn, ReadOrder(step), Operations()),
                AwaitOrder => new AwaitOrderStep(company, description, dependsOn, ReadOrder(step), Operations()),
                var other => throw new PlanFileContentException($"unknown plan step kind '{other}'"),
            };
        }

        public override void Write(Utf8JsonWriter writer, PlanStep value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", value is PortedRingFenceStep ? PortedRingFence : Tag(value.Kind));
            writer.WriteString("company", value.Company);
            writer.WriteString("description", value.Description);
            writer.WritePropertyName("dependsOn");
            writer.WriteStartArray();
            foreach (var dependency in value.DependsOn)
            {
                JsonSerializer.Serialize(writer, dependency, TypeInfo<StepId>(options));
            }

            writer.WriteEndArray();
            var operations = ImmutableArray<OrderOperation>.Empty;
            switch (value)
            {
                case RingFenceStep ringFence:
                    writer.WriteString("block", ringFence.Block);
                    writer.WriteNumber("quantity", ringFence.Quantity);
                    break;
                case PortedRingFenceStep ported:
                    writer.WriteString("block", ported.Block);
                    writer.WriteString("startNumber", ported.Range.StartNumber);
                    writer.WriteString("endNumber", ported.Range.EndNumber);
                    break;
                case CreateAddressStep address:
                    writer.WriteString("site", address.Site);
                    break;
                case CreateOrderStep create:
                    writer.WriteNumber("order", create.Number);
                    operations = create.Operations;
                    break;
                case SubmitOrderStep submit:
                    WriteOrder(writer, submit.Order);
                    operations = submit.Operations;
                    break;
                case AwaitOrderStep awaitStep:
                    WriteOrder(writer, awaitStep.Order);
                    operations = awaitStep.Operations;
                    break;
            }

            if (value.Kind is StepKind.CreateOrder or StepKind.SubmitOrder or StepKind.AwaitOrder)
            {
                writer.WritePropertyName("operations");
                JsonSerializer.Serialize(writer, operations, TypeInfo<ImmutableArray<OrderOperation>>(options));
            }

            writer.WriteEndObject();
        }
    }
}

/// <summary>
/// What whcctl's own plan-file converters find wrong, in whcctl's words (a field it does not know, a kind it does not
/// know): told to the user as it is, unlike the JSON reader's own text.
/// </summary>
internal sealed class PlanFileContentException : JsonException
{
    public PlanFileContentException(string message)
        : base(message)
    {
    }

    public PlanFileContentException()
    {
    }

    public PlanFileContentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
