// The Terraform twin of a plan-bench estate (issue 28): as many Terraform resources as whcctl plans, with the same
// content, so `terraform plan` and `whcctl plan` can be timed side by side on one machine. Terraform's built-in
// `terraform_data` resource needs no provider download and makes no call anywhere, so the time measured is
// Terraform's own: parsing the configuration, reading the state, building and walking the graph, diffing.
//
// Per company: 1 company, 1 number block, 2 sites and one resource per user (14 at 10 users, the count whcctl's plan
// reports). Sites and blocks reference their company's id and users their site's and block's, the dependencies
// whcctl's resources have. The state is what `terraform apply` of the configuration writes (its format checked
// against Terraform 1.11.4's own), so a plan of it reports no changes; the benchmark checks that with
// `-detailed-exitcode` = 0.
using System.Globalization;
using System.Text;
using System.Text.Json;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;
using Whc.Declarative.Manifests;

internal static class TerraformTwin
{
    private const string Provider = "provider[\"terraform.io/builtin/terraform\"]";

    /// <summary>Writes DIRECTORY/config (one .tf file per company) and DIRECTORY/config/terraform.tfstate.</summary>
    public static async Task<string> WriteAsync(string directory, int companies, int usersPerCompany)
    {
        var config = Path.Combine(directory, "config");
        Directory.CreateDirectory(config);
        var all = new List<TfResource>();
        for (var i = 1; i <= companies; i++)
        {
            var yaml = Estate.Manifest(i, usersPerCompany);
            var set = ManifestLoader.Parse($"company-{i:0000}.yaml", yaml);
            if (set.HasErrors)
            {
                throw new InvalidOperationException("generated manifest is invalid: " + string.Join("; ", set.Diagnostics));
            }

            var resources = ResourcesOf(Estate.StateFor(set.Companies[0], i), i);
            all.AddRange(resources);
            await File.WriteAllTextAsync(Path.Combine(config, $"company-{i:0000}.tf"), Hcl(resources));
        }

        await using (var stream = File.Create(Path.Combine(config, "terraform.tfstate")))
        {
            WriteState(stream, all);
        }

        return config;
    }

    private sealed record TfResource(string Name, IReadOnlyList<(string Key, string Value)> Literals, IReadOnlyList<(string Key, string Resource)> References);

    private static List<TfResource> ResourcesOf(CompanyState state, int i)
    {
        var record = state.Record ?? throw new InvalidOperationException("the generated state has no company record");
        var company = $"c{i:0000}";
        var resources = new List<TfResource>
        {
            new(company, [
                ("name", record.Name), ("domain", record.Domain), ("customer_group", record.CustomerGroup),
                ("cug_id", record.CugId), ("billing_account", record.BillingAccount), ("service_id", record.ServiceId ?? ""),
            ], []),
        };
        foreach (var block in state.NumberBlocks)
        {
            var range = block.Ranges[0];
            resources.Add(new($"{company}_block_{block.Name}", [
                ("name", block.Name), ("area_code", block.AreaCode), ("quantity", block.Quantity.ToString(CultureInfo.InvariantCulture)),
                ("start", range.StartNumber), ("end", range.EndNumber), ("service_id", range.ServiceId ?? ""),
            ], [("company", company)]));
        }

        foreach (var site in state.Sites)
        {
            resources.Add(new($"{company}_site_{site.Name}", [
                ("name", site.Name), ("location_code", site.LocationCode), ("nad_key", site.NadKey), ("service_id", site.ServiceId ?? ""),
            ], [("company", company)]));
        }

        foreach (var user in state.Users)
        {
            IReadOnlyList<(string, string)> references = user.NumberBlock is { } block
                ? [("site", $"{company}_site_{user.Site}"), ("number_block", $"{company}_block_{block}")]
                : [("site", $"{company}_site_{user.Site}")];
            resources.Add(new($"{company}_user_{user.Username.Split('.')[0]}", [
                ("username", user.Username), ("first_name", user.FirstName), ("last_name", user.LastName),
                ("extension", user.Extension), ("number", user.DirectoryNumber ?? ""), ("licence", user.Licence),
                ("devices", string.Join(",", user.DeviceMacAddresses)), ("service_id", user.ServiceId ?? ""),
            ], references));
        }

        return resources;
    }

    private static string Hcl(List<TfResource> resources)
    {
        var hcl = new StringBuilder();
        foreach (var resource in resources)
        {
            hcl.Append(CultureInfo.InvariantCulture, $"resource \"terraform_data\" \"{resource.Name}\" {{\n  input = {{\n");
            foreach (var (key, target) in resource.References)
            {
                hcl.Append(CultureInfo.InvariantCulture, $"    {key} = terraform_data.{target}.id\n");
            }

            foreach (var (key, value) in resource.Literals)
            {
                hcl.Append(CultureInfo.InvariantCulture, $"    {key} = \"{value}\"\n");
            }

            hcl.Append("  }\n}\n\n");
        }

        return hcl.ToString();
    }

    /// <summary>A deterministic id per resource (terraform_data's ids are UUIDs; any string is accepted).</summary>
    private static string IdOf(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static void WriteState(Stream stream, List<TfResource> resources)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteNumber("version", 4);
        json.WriteString("terraform_version", "1.11.4");
        json.WriteNumber("serial", 1);
        json.WriteString("lineage", "6f3c1f1e-5d0b-4f4e-9a51-000000000028");
        json.WriteStartObject("outputs");
        json.WriteEndObject();
        json.WriteStartArray("resources");
        foreach (var resource in resources.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("mode", "managed");
            json.WriteString("type", "terraform_data");
            json.WriteString("name", resource.Name);
            json.WriteString("provider", Provider);
            json.WriteStartArray("instances");
            json.WriteStartObject();
            json.WriteNumber("schema_version", 0);
            json.WriteStartObject("attributes");
            json.WriteString("id", IdOf(resource.Name));
            var values = resource.References.Select(r => (r.Key, Value: IdOf(r.Resource)))
                .Concat(resource.Literals)
                .OrderBy(v => v.Key, StringComparer.Ordinal)
                .ToList();
            foreach (var property in (string[])["input", "output"])
            {
                json.WriteStartObject(property);
                json.WriteStartObject("value");
                foreach (var (key, value) in values)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
                json.WriteStartArray("type");
                json.WriteStringValue("object");
                json.WriteStartObject();
                foreach (var (key, _) in values)
                {
                    json.WriteString(key, "string");
                }

                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteNull("triggers_replace");
            json.WriteEndObject();
            json.WriteStartArray("sensitive_attributes");
            json.WriteEndArray();
            if (resource.References.Count > 0)
            {
                json.WriteStartArray("dependencies");
                foreach (var dependency in DependenciesOf(resource))
                {
                    json.WriteStringValue("terraform_data." + dependency);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNull("check_results");
        json.WriteEndObject();
    }

    /// <summary>Direct and indirect dependencies, as Terraform records them (a user depends on its site's company too).</summary>
    private static IEnumerable<string> DependenciesOf(TfResource resource)
    {
        var company = resource.Name.Split('_')[0];
        var direct = resource.References.Select(r => r.Resource).ToHashSet(StringComparer.Ordinal);
        if (direct.Any(d => d != company))
        {
            direct.Add(company);
        }

        return direct.Order(StringComparer.Ordinal);
    }
}
