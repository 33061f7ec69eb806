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
/// <see cref="From"/> and <see cref="ToPlanFile"/>. The plan and request inside are Core's records through this context;
/// steps and step ids have a mapping of their own (<see cref="PlanStepJson"/>), and so do attribute values
/// (<see cref="PlanFileValueConverter"/>).
/// </summary>
internal sealed record PlanDocument(int FormatVersion, string WhcctlVersion, EndpointName Endpoint, string PlanHash, Plan Plan, PlanRequest Request)
{
    public static PlanDocument From(PlanFile file) =>
        new(file.FormatVersion, file.WhcctlVersion, file.Endpoint, file.PlanHash, file.Plan, file.Request);

    public PlanFile ToPlanFile() => new(FormatVersion, WhcctlVersion, Endpoint, PlanHash, Plan, Request);
}

/// <summary>What a saved plan's hash covers: the endpoint, the plan and the request (not the hash, nor the versions).</summary>
internal sealed record PlanHashedContent(EndpointName Endpoint, Plan Plan, PlanRequest Request);

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
