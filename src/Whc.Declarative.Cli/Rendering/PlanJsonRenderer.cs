using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>
/// The machine-readable plan (<c>--format json</c>) in the shape of Terraform's JSON plan representation, so policy
/// tools and plan consumers written for Terraform read it: <c>resource_changes[]</c> with <c>mode</c>, <c>type</c>
/// (<c>whc_company</c>, <c>whc_site</c>, ...), <c>provider_name</c> and a <c>change</c> holding complete typed
/// <c>before</c>/<c>after</c> objects (null on create and on delete respectively), <c>after_unknown</c> and the
/// sensitivity maps; <c>resource_drift</c>, <c>prior_state</c>, <c>planned_values</c>, <c>configuration</c>,
/// <c>applyable</c>, <c>complete</c> and <c>output_changes</c>. Each company is a module (<c>module.KEY</c>), its
/// resources addressed under it as Terraform addresses a <c>for_each</c> resource (<c>module.KEY.whc_user.this["jane.smith"]</c>),
/// so policies scoped to a module work. <c>format_version</c> is the version of Terraform's format this follows (what
/// terraform-json accepts); whcctl's own format version is <c>whcctl_format_version</c>. whcctl's own parts (summary,
/// companies, API steps, reconciled intents, diagnostics) sit under their own keys. Published as
/// schemas/v1/plan.schema.json.
/// </summary>
public static class PlanJsonRenderer
{
    /// <summary>The provider every resource belongs to, in Terraform's <c>provider_name</c> form.</summary>
    public const string ProviderName = "whcctl/bt/whc";

    /// <summary>
    /// The version of Terraform's JSON plan format this follows: Terraform 1.11 writes "1.2", and terraform-json accepts
    /// "&gt;= 0.1, &lt; 2.0". whcctl's own format version (<see cref="Plan.FormatVersion"/>) has its own key.
    /// </summary>
    public const string TerraformFormatVersion = "1.2";

    /// <summary>The version of Terraform's state format inside a plan (<c>prior_state</c>) and of <c>show --format json</c>.</summary>
    public const string TerraformStateFormatVersion = "1.0";

    /// <summary>The provider's local name: the key of <c>configuration.provider_config</c>.</summary>
    private const string ProviderKey = "whc";

    /// <summary>
    /// The resource block's name inside a company module: every resource of a type is one instance of a <c>for_each</c>
    /// over its names (which may hold dots and spaces, so they are instance keys, not block names).
    /// </summary>
    private const string BlockName = "this";

    /// <summary>What <c>configuration.root_module.module_calls.KEY.source</c> says: the manifest kind a company module is made from.</summary>
    private const string ModuleSource = "whc.declarative/v1/Company";

    private static readonly ResourceKind[] Kinds = [ResourceKind.Company, ResourceKind.NumberBlock, ResourceKind.Site, ResourceKind.User];

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The plan in Terraform's JSON plan representation, with whcctl's own keys beside it (docs/plan-json.md).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="targeted">True when it was made with <c>--target</c>: as Terraform says of a <c>-target</c> plan, it
    /// is then not <c>complete</c>, because the rest of the configuration was left unplanned.</param>
    public static string Render(Plan plan, bool targeted)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("format_version", TerraformFormatVersion);
            // Terraform's consumers require it (terraform-unidiff's schema does); whcctl is the tool that made the plan.
            json.WriteString("terraform_version", VersionInfo.Version);
            json.WriteString("whcctl_format_version", Plan.FormatVersion);
            json.WriteString("whcctl_version", VersionInfo.Version);
            json.WriteString("timestamp", plan.CreatedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("mode", plan.Mode switch { PlanMode.RefreshOnly => "refresh-only", PlanMode.Destroy => "destroy", _ => "normal" });
            json.WriteBoolean("errored", plan.HasErrors);
            // Terraform: applyable when there is something to apply and no error; complete unless targeted (or deferred).
            json.WriteBoolean("applyable", plan.HasChanges && !plan.HasErrors);
            json.WriteBoolean("complete", !targeted);
            json.WriteBoolean("has_changes", plan.HasChanges);
            json.WriteStartObject("summary");
            json.WriteNumber("add", plan.Count(ChangeAction.Create) + plan.Count(ChangeAction.Replace));
            json.WriteNumber("change", plan.Count(ChangeAction.Update));
            json.WriteNumber("destroy", plan.Count(ChangeAction.Delete) + plan.Count(ChangeAction.Replace));
            json.WriteNumber("drift", plan.Count(ChangeAction.Drift) + plan.Companies.Sum(c => c.Drift.IsDefault ? 0 : c.Drift.Length));
            json.WriteNumber("steps", plan.Companies.Sum(c => c.Steps.Length));
            json.WriteEndObject();

            // What apply will need (Plan.ApplyRequires, the value apply checks): empty when nothing.
            json.WriteStartArray("apply_requires");
            foreach (var needed in plan.ApplyRequires)
            {
                json.WriteStartObject();
                json.WriteString("flag", needed.Flag);
                json.WriteNumber("ceases", needed.Changes.Length);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            // Users without service during apply (a move between sites is a cease then an add): from the await step of
            // the cease until the await step of the add, both ids in "steps". Empty when none.
            json.WriteStartArray("outages");
            foreach (var company in plan.Companies)
            {
                foreach (var outage in company.Outages)
                {
                    json.WriteStartObject();
                    json.WriteString("company", company.Company);
                    json.WriteString("user", outage.User.Name);
                    json.WriteString("from_site", outage.FromSite);
                    json.WriteString("to_site", outage.ToSite);
                    json.WriteString("from_step", outage.CeaseAwait.ToString());
                    json.WriteString("until_step", outage.AddAwait.ToString());
                    if (outage.Why is { } why)
                    {
                        // Why other orders come between the cease and the re-create (absent when they are consecutive).
                        json.WriteString("why", why);
                    }

                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteStartArray("changed_companies");
            foreach (var company in plan.Companies.Where(c => c.HasChanges))
            {
                json.WriteStringValue(company.Company);
            }

            json.WriteEndArray();
            WriteCompanies(json, plan);

            // A refresh-only plan changes nothing at BT: what it found is its drift, and it has no resource changes.
            var drift = plan.Mode == PlanMode.RefreshOnly
                ? plan.Companies.SelectMany(c => c.Changes.Select(change => (c, change)))
                : plan.Companies.SelectMany(c => (c.Drift.IsDefault ? [] : c.Drift).Select(change => (c, change)));
            json.WriteStartArray("resource_drift");
            foreach (var (company, change) in drift)
            {
                WriteDrift(json, company, change);
            }

            json.WriteEndArray();
            json.WriteStartArray("resource_changes");
            foreach (var company in plan.Mode == PlanMode.RefreshOnly ? [] : plan.Companies)
            {
                foreach (var change in company.Changes)
                {
                    WriteChange(json, company, change);
                }
            }

            json.WriteEndArray();
            json.WriteStartObject("output_changes");
            json.WriteEndObject();
            json.WriteStartObject("prior_state");
            json.WriteString("format_version", TerraformStateFormatVersion);
            json.WriteString("terraform_version", VersionInfo.Version);
            json.WriteStartObject("values");
            WriteModule(json, plan.Companies.SelectMany(c => PlanValues.Prior(c)));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("planned_values");
            WriteModule(json, plan.Companies.SelectMany(c => PlanValues.Planned(c)));
            json.WriteEndObject();
            WriteConfiguration(json, plan);
            WriteSteps(json, plan);
            WriteReconciledIntents(json, plan);
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

    /// <summary>Terraform's resource type of a whcctl resource: <c>whc_company</c>, <c>whc_number_block</c>, <c>whc_site</c>, <c>whc_user</c>.</summary>
    public static string TypeOf(ResourceKind kind) => kind switch
    {
        ResourceKind.Company => "whc_company",
        ResourceKind.NumberBlock => "whc_number_block",
        ResourceKind.Site => "whc_site",
        _ => "whc_user",
    };

    private static void WriteCompanies(Utf8JsonWriter json, Plan plan)
    {
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
    }

    private static void WriteSteps(Utf8JsonWriter json, Plan plan)
    {
        json.WriteStartArray("steps");
        foreach (var step in plan.Companies.SelectMany(c => c.Steps))
        {
            json.WriteStartObject();
            json.WriteString("id", step.Id.ToString());
            json.WriteString("kind", KindWord(step.Kind));
            json.WriteString("company", step.Company);
            json.WriteString("description", step.Description);
            json.WriteStartArray("depends_on");
            foreach (var dependency in step.DependsOn)
            {
                json.WriteStringValue(dependency.ToString());
            }

            json.WriteEndArray();
            var operations = step is CreateOrderStep create ? create.Operations : [];
            if (operations.Length > 0)
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
    }

    private static void WriteReconciledIntents(Utf8JsonWriter json, Plan plan)
    {
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
    }

    /// <summary>
    /// State as <c>terraform show -json</c> prints it: <c>values.root_module.resources[]</c>, each resource in the shape of
    /// the plan's <c>prior_state</c>.
    /// </summary>
    public static string RenderState(IEnumerable<ResourceValues> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("format_version", TerraformStateFormatVersion);
            json.WriteString("terraform_version", VersionInfo.Version);
            json.WriteString("whcctl_version", VersionInfo.Version);
            json.WriteStartObject("values");
            WriteModule(json, resources);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// Values as Terraform writes them for modules: the root module holds no resources of its own, each company is a
    /// child module (<c>module.KEY</c>) with its resources; both in ordinal order of address.
    /// </summary>
    private static void WriteModule(Utf8JsonWriter json, IEnumerable<ResourceValues> resources)
    {
        json.WriteStartObject("root_module");
        var modules = resources
            .GroupBy(r => r.Address.Company, StringComparer.Ordinal)
            .OrderBy(m => ModuleAddress(m.Key), StringComparer.Ordinal)
            .ToList();
        if (modules.Count > 0)
        {
            json.WriteStartArray("child_modules");
            foreach (var module in modules)
            {
                json.WriteStartObject();
                json.WriteString("address", ModuleAddress(module.Key));
                json.WriteStartArray("resources");
                foreach (var resource in module.OrderBy(r => TerraformAddress(r.Address), StringComparer.Ordinal))
                {
                    json.WriteStartObject();
                    WriteIdentity(json, resource.Address);
                    json.WriteNumber("schema_version", 0);
                    json.WritePropertyName("values");
                    WriteObject(json, resource, known: true);
                    json.WriteStartObject("sensitive_values");
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// Terraform's <c>configuration</c>: the provider, and one module call per company with the resource blocks its
    /// manifest configures (a resource block per type it has, in any of prior state, the plan or the changes).
    /// </summary>
    private static void WriteConfiguration(Utf8JsonWriter json, Plan plan)
    {
        json.WriteStartObject("configuration");
        json.WriteStartObject("provider_config");
        json.WriteStartObject(ProviderKey);
        json.WriteString("name", ProviderKey);
        json.WriteString("full_name", ProviderName);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("root_module");
        json.WriteStartObject("module_calls");
        foreach (var company in plan.Companies.OrderBy(c => c.Company, StringComparer.Ordinal))
        {
            var kinds = PlanValues.Prior(company).Select(r => r.Address.Kind)
                .Concat(PlanValues.Planned(company).Select(r => r.Address.Kind))
                .Concat(company.Changes.Select(c => c.Address.Kind))
                .ToHashSet();
            json.WriteStartObject(company.Company);
            json.WriteString("source", ModuleSource);
            json.WriteStartObject("module");
            json.WriteStartArray("resources");
            foreach (var kind in Kinds.Where(kinds.Contains).OrderBy(TypeOf, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("address", $"{TypeOf(kind)}.{BlockName}");
                json.WriteString("mode", "managed");
                json.WriteString("type", TypeOf(kind));
                json.WriteString("name", BlockName);
                json.WriteString("provider_config_key", ProviderKey);
                json.WriteNumber("schema_version", 0);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A company's module address: <c>module.KEY</c> (a key is lowercase letters, digits and dashes).</summary>
    public static string ModuleAddress(string company) => "module." + company;

    /// <summary>
    /// A resource's Terraform address: <c>module.KEY.whc_company.this</c> for the company, and for the rest the
    /// <c>for_each</c> instance keyed by name, <c>module.KEY.whc_user.this["jane.smith"]</c>.
    /// </summary>
    public static string TerraformAddress(ResourceAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var block = $"{ModuleAddress(address.Company)}.{TypeOf(address.Kind)}.{BlockName}";
        return address.Kind == ResourceKind.Company ? block : $"{block}[{QuotedKey(address.Name)}]";
    }

    /// <summary>An instance key as Terraform quotes it in an address: an HCL string, so no name can end it early.</summary>
    private static string QuotedKey(string key)
    {
        var quoted = new StringBuilder("\"", key.Length + 2);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            switch (c)
            {
                case '\\': quoted.Append("\\\\"); break;
                case '"': quoted.Append("\\\""); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                case '$' or '%' when i + 1 < key.Length && key[i + 1] == '{': quoted.Append(c).Append(c); break;
                default:
                    if (char.IsControl(c))
                    {
                        quoted.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        quoted.Append(c);
                    }

                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    private static void WriteIdentity(Utf8JsonWriter json, ResourceAddress address)
    {
        json.WriteString("address", TerraformAddress(address));
        json.WriteString("module_address", ModuleAddress(address.Company));
        json.WriteString("mode", "managed");
        json.WriteString("type", TypeOf(address.Kind));
        json.WriteString("name", BlockName);
        if (address.Kind != ResourceKind.Company)
        {
            json.WriteString("index", address.Name);
        }

        json.WriteString("provider_name", ProviderName);
        json.WriteString("company", address.Company);
        json.WriteString("whcctl_address", address.ToString());
    }

    private static void WriteChange(Utf8JsonWriter json, CompanyPlan company, ResourceChange change)
    {
        var values = PlanValues.OfChange(company, change);
        WriteResourceChange(json, change, ActionWords(change.Action), values.Before, values.After);
    }

    /// <summary>Drift as Terraform shows it: state as recorded before, BT as read after; ceased at BT is a delete.</summary>
    private static void WriteDrift(Utf8JsonWriter json, CompanyPlan company, ResourceChange change)
    {
        var values = PlanValues.OfDrift(company, change);
        WriteResourceChange(json, change, ActionWords(change.Observed ?? ChangeAction.Update), values.Before, values.After);
    }

    private static void WriteResourceChange(Utf8JsonWriter json, ResourceChange change, IReadOnlyList<string> actions, ResourceValues? before, ResourceValues? after)
    {
        json.WriteStartObject();
        WriteIdentity(json, change.Address);
        if (change.PreviousAddress is { } previous)
        {
            // Terraform's key for a resource a moved block renamed; the change itself is then "no-op" unless more changed.
            json.WriteString("previous_address", TerraformAddress(previous));
            json.WriteString("whcctl_previous_address", previous.ToString());
        }

        json.WriteStartObject("change");
        json.WriteStartArray("actions");
        foreach (var word in actions)
        {
            json.WriteStringValue(word);
        }

        json.WriteEndArray();
        json.WritePropertyName("before");
        WriteObject(json, before, known: true);
        json.WritePropertyName("after");
        WriteObject(json, after, known: true);
        json.WritePropertyName("after_unknown");
        WriteObject(json, after, known: false);
        json.WritePropertyName("before_sensitive");
        WriteSensitivity(json, before);
        json.WritePropertyName("after_sensitive");
        WriteSensitivity(json, after);
        json.WriteEndObject();
        json.WriteString("action_reason", change.Reason);
        json.WriteEndObject();
    }

    /// <summary>Nothing whcctl plans is secret: Terraform's "no sensitive values" is an empty object (false when absent).</summary>
    private static void WriteSensitivity(Utf8JsonWriter json, ResourceValues? values)
    {
        if (values is null)
        {
            json.WriteBooleanValue(false);
            return;
        }

        json.WriteStartObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// With <paramref name="known"/>, the typed object without the values known only after apply; without, Terraform's
    /// <c>after_unknown</c>: true for each of those.
    /// </summary>
    private static void WriteObject(Utf8JsonWriter json, ResourceValues? values, bool known)
    {
        if (values is null)
        {
            if (known)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteStartObject();
                json.WriteEndObject();
            }

            return;
        }

        json.WriteStartObject();
        foreach (var (name, value) in values.Values.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            var isUnknown = value is UnknownValue;
            if (!known)
            {
                if (isUnknown)
                {
                    json.WriteBoolean(name, true);
                }

                continue;
            }

            if (isUnknown)
            {
                continue;
            }

            json.WritePropertyName(name);
            WriteTyped(json, value);
        }

        json.WriteEndObject();
    }

    /// <summary>A known value in its JSON type: a string, a number, true/false, an array of strings, or null.</summary>
    private static void WriteTyped(Utf8JsonWriter json, AttributeValue? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case TextValue text:
                json.WriteStringValue(text.Value);
                break;
            case NumberValue number:
                json.WriteNumberValue(number.Value);
                break;
            case FlagValue flag:
                json.WriteBooleanValue(flag.Value);
                break;
            case ListValue list:
                json.WriteStartArray();
                foreach (var item in list.Items)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "a value known only after apply has no JSON value");
        }
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
