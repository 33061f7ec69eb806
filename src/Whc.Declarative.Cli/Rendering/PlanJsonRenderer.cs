using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>
/// The machine-readable plan (<c>--format json</c>), modelled on <c>terraform show -json</c>: a versioned document with
/// <c>resource_changes[]</c> using Terraform's action words, <c>steps[]</c> with their dependencies, and
/// <c>changed_companies[]</c> so a workflow can fan out one job per company.
/// </summary>
public static class PlanJsonRenderer
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(Plan plan)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("format_version", Plan.FormatVersion);
            json.WriteString("whcctl_version", VersionInfo.Version);
            json.WriteString("mode", plan.Mode switch { PlanMode.RefreshOnly => "refresh-only", PlanMode.Destroy => "destroy", _ => "normal" });
            json.WriteBoolean("errored", plan.HasErrors);
            json.WriteBoolean("has_changes", plan.HasChanges);
            json.WriteStartObject("summary");
            json.WriteNumber("add", plan.Count(ChangeAction.Create) + plan.Count(ChangeAction.Replace));
            json.WriteNumber("change", plan.Count(ChangeAction.Update));
            json.WriteNumber("destroy", plan.Count(ChangeAction.Delete) + plan.Count(ChangeAction.Replace));
            json.WriteNumber("drift", plan.Count(ChangeAction.Drift));
            json.WriteNumber("steps", plan.Companies.Sum(c => c.Steps.Length));
            json.WriteEndObject();

            json.WriteStartArray("changed_companies");
            foreach (var company in plan.Companies.Where(c => c.HasChanges))
            {
                json.WriteStringValue(company.Company);
            }

            json.WriteEndArray();

            json.WriteStartArray("companies");
            foreach (var company in plan.Companies)
            {
                json.WriteStartObject();
                json.WriteString("company", company.Company);
                json.WriteBoolean("has_changes", company.HasChanges);
                json.WriteNumber("state_serial", company.StateSerial);
                WriteNullable(json, "state_lineage", company.StateLineage);
                json.WriteString("inventory_fingerprint", company.InventoryFingerprint);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray(plan.Mode == PlanMode.RefreshOnly ? "resource_drift" : "resource_changes");
            foreach (var company in plan.Companies)
            {
                foreach (var change in company.Changes)
                {
                    WriteChange(json, change);
                }
            }

            json.WriteEndArray();

            json.WriteStartArray("steps");
            foreach (var step in plan.Companies.SelectMany(c => c.Steps))
            {
                json.WriteStartObject();
                json.WriteString("id", step.Id);
                json.WriteString("kind", KindWord(step.Kind));
                json.WriteString("company", step.Company);
                json.WriteString("description", step.Description);
                json.WriteStartArray("depends_on");
                foreach (var dependency in step.DependsOn)
                {
                    json.WriteStringValue(dependency);
                }

                json.WriteEndArray();
                var operations = step.Details.Operations;
                if (step.Kind == StepKind.CreateOrder && operations.Length > 0)
                {
                    json.WriteStartArray("order_items");
                    foreach (var operation in operations)
                    {
                        json.WriteStartObject();
                        json.WriteString("action", operation.Kind.ToString().ToLowerInvariant());
                        json.WriteString("address", operation.Address.ToString());
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (plan.Mode != PlanMode.RefreshOnly)
            {
                // As Terraform's plan JSON: what changed outside, next to what the plan changes.
                json.WriteStartArray("resource_drift");
                foreach (var change in plan.Companies.SelectMany(c => c.Drift.IsDefault ? [] : c.Drift))
                {
                    WriteChange(json, change);
                }

                json.WriteEndArray();
            }

            json.WriteStartArray("reconciled_intents");
            foreach (var company in plan.Companies.Where(c => c.Reconciliation is not null))
            {
                foreach (var resolution in company.Reconciliation?.Resolutions ?? [])
                {
                    json.WriteStartObject();
                    json.WriteString("company", company.Company);
                    json.WriteString("intent_id", resolution.IntentId);
                    json.WriteString("operation", resolution.Operation);
                    json.WriteString("step_id", resolution.StepId);
                    json.WriteString("outcome", PlanTextRenderer.OutcomeWord(resolution.Outcome).Replace(' ', '_'));
                    json.WriteString("summary", resolution.Summary);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WritePropertyName("diagnostics");
            DiagnosticsRenderer.WriteJson(json, plan.AllDiagnostics);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string KindWord(StepKind kind) => kind switch
    {
        StepKind.Qualify => "qualify",
        StepKind.RingFence => "ringfence",
        StepKind.CreateAddress => "create-address",
        StepKind.CreateOrder => "create-order",
        StepKind.SubmitOrder => "submit-order",
        _ => "await-order",
    };

    /// <summary>
    /// Terraform's words: <c>["create"]</c>, <c>["update"]</c>, <c>["delete","create"]</c> for a replacement, and
    /// <c>["forget"]</c> (Terraform 1.7+) for what leaves state without being destroyed.
    /// </summary>
    public static IReadOnlyList<string> ActionWords(ChangeAction action) => action switch
    {
        ChangeAction.Create => ["create"],
        ChangeAction.Update or ChangeAction.Drift => ["update"],
        ChangeAction.Delete => ["delete"],
        ChangeAction.Replace => ["delete", "create"],
        ChangeAction.Forget => ["forget"],
        _ => ["no-op"],
    };

    private static void WriteChange(Utf8JsonWriter json, ResourceChange change)
    {
        json.WriteStartObject();
        json.WriteString("address", change.Address.ToString());
        json.WriteString("company", change.Address.Company);
        json.WriteString("type", change.Address.Kind == ResourceKind.Company ? "company" : ResourceAddress.KindSegment(change.Address.Kind));
        json.WriteString("name", change.Address.Name);
        json.WriteStartObject("change");
        json.WriteStartArray("actions");
        foreach (var word in ActionWords(change.Action))
        {
            json.WriteStringValue(word);
        }

        json.WriteEndArray();
        json.WriteString("reason", change.Reason);
        json.WriteStartObject("before");
        foreach (var attribute in change.Attributes.Where(a => a.Before is not null))
        {
            json.WriteString(attribute.Name, attribute.Before);
        }

        json.WriteEndObject();
        json.WriteStartObject("after");
        foreach (var attribute in change.Attributes)
        {
            WriteNullable(json, attribute.Name, attribute.After);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
