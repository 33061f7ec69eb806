using System.Text;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>Hostile or broken input gets a clear diagnostic, never an exception or a hang.</summary>
public sealed class HostileInputTests
{
    private const string ValidManifest = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata: { name: fun-network }
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
        """;

    [Fact]
    public void A_binary_file_is_reported_as_not_text()
    {
        byte[] content = [0x7F, (byte)'E', (byte)'L', (byte)'F', 0x02, 0x01, 0x00, 0x00, 0xFF];

        var result = ManifestLoader.ParseBytes("bin.yaml", content);

        result.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1005");
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_its_line_and_column()
    {
        var content = Encoding.UTF8.GetBytes("apiVersion: whc.declarative/v1\nkind: Company\nmetadata: { name: ab").Concat(new byte[] { 0xC3, 0x28 }).ToArray();

        var result = ManifestLoader.ParseBytes("bad.yaml", content);

        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC1005");
        diagnostic.Span.Should().Be(new SourceSpan("bad.yaml", 3, 21));
    }

    [Fact]
    public void A_utf16_file_is_reported_as_not_utf8()
    {
        var content = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(ValidManifest)).ToArray();

        ManifestLoader.ParseBytes("utf16.yaml", content).Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1005");
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        var content = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ValidManifest)).ToArray();

        var result = ManifestLoader.ParseBytes("bom.yaml", content);

        result.Diagnostics.Should().BeEmpty();
        result.Companies.Should().ContainSingle();
    }

    [Fact]
    public void A_billion_laughs_alias_bomb_is_refused_after_a_bounded_expansion()
    {
        var text = new StringBuilder("apiVersion: whc.declarative/v1\nkind: Company\nlol0: &l0 \"lol\"\n");
        for (var i = 1; i <= 9; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"lol{i}: &l{i} [")
                .Append(string.Join(",", Enumerable.Repeat($"*l{i - 1}", 10))).Append("]\n");
        }

        var result = ManifestLoader.Parse("bomb.yaml", text.ToString());

        result.Companies.Should().BeEmpty();
        result.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1009");
        result.Diagnostics[0].Span.Line.Should().Be(8, "lol5's aliases pass the budget of YamlTreeReader.MaxAliasNodes");
    }

    [Fact]
    public void Deeply_nested_flow_sequences_are_capped()
    {
        var text = "apiVersion: whc.declarative/v1\nspec: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var result = ManifestLoader.Parse("deep.yaml", text);

        result.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1010");
    }

    [Fact]
    public void Deeply_nested_block_mappings_are_capped()
    {
        var text = new StringBuilder();
        for (var depth = 0; depth < 200; depth++)
        {
            text.Append(' ', depth * 2).Append('k').Append(depth.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(":\n");
        }

        var result = ManifestLoader.Parse("deep.yaml", text.ToString());

        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC1010");
        diagnostic.Span.Line.Should().Be(65);
    }

    [Fact]
    public void Content_over_the_size_cap_is_refused_before_parsing()
    {
        var content = new byte[(int)ManifestLoader.MaxFileBytes + 1];

        ManifestLoader.ParseBytes("big.yaml", content).Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1003");
    }

    [Fact]
    public void A_50_MB_file_on_disk_is_refused_without_reading_it()
    {
        using var directory = new TemporaryDirectory();
        using (var stream = File.Create(Path.Combine(directory.Path, "huge.yaml")))
        {
            stream.SetLength(50L * 1024 * 1024);
        }

        var result = ManifestLoader.Load(["huge.yaml"], directory.Path);

        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC1003");
        diagnostic.Message.Should().Contain("50.0 MiB").And.Contain("at most 5 MiB");
    }

    [Theory]
    [InlineData("---\n")]
    [InlineData("---\n# generated\n---\n")]
    [InlineData("...\n")]
    public void Empty_documents_after_a_valid_one_are_ignored(string trailer)
    {
        var result = ManifestLoader.Parse("trailing.yaml", ValidManifest + "\n" + trailer);

        result.Diagnostics.Should().BeEmpty();
        result.Companies.Should().ContainSingle();
    }

    [Fact]
    public void An_empty_document_before_a_valid_one_is_ignored()
    {
        var result = ManifestLoader.Parse("leading.yaml", "---\n---\n" + ValidManifest + "\n");

        result.Diagnostics.Should().BeEmpty();
        result.Companies.Should().ContainSingle();
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n---\n")]
    public void A_run_that_finds_no_company_is_an_error(string text)
    {
        var result = ManifestLoader.Parse("empty.yaml", text);

        result.HasErrors.Should().BeTrue("an empty or truncated manifest must not pass as 'valid, nothing to do'");
        result.Diagnostics.Should().ContainSingle(d => d.Code == "WHC1024").Which.ToString().Should().Be(
            "empty.yaml: error WHC1024: no company found: the manifests define no Company document (kind: Company); an empty or truncated manifest is refused rather than taken for 'nothing to do'");
    }

    [Fact]
    public void No_company_is_not_reported_on_top_of_other_errors()
    {
        var result = ManifestLoader.Parse("broken.yaml", "apiVersion: [\n");

        result.Diagnostics.Should().NotContain(d => d.Code == "WHC1024");
    }

    [Theory]
    [InlineData("!!binary aGVsbG8=", "!!binary")]
    [InlineData("!!python/object/apply:os.system [\"rm -rf /\"]", "!!python/object/apply:os.system")]
    [InlineData("!custom TheFunNetwork", "!custom")]
    [InlineData("!<tag:example.com,2000:app/x> TheFunNetwork", "!<tag:example.com,2000:app/x>")]
    [InlineData("!!set { a, b }", "!!set")]
    [InlineData("!!timestamp 2001-12-14", "!!timestamp")]
    public void Tags_outside_the_core_schema_are_refused_at_their_position(string value, string shown)
    {
        var text = ValidManifest.Replace("name: TheFunNetwork,", $"name: {value},", StringComparison.Ordinal);

        var result = ManifestLoader.Parse("tag.yaml", text);

        result.Companies.Should().BeEmpty();
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC1023");
        diagnostic.Span.Should().Be(new SourceSpan("tag.yaml", 6, 20), "the tag starts there");
        diagnostic.Message.Should().StartWith($"the YAML tag {shown} is not supported");
    }

    [Theory]
    [InlineData("!!python/name:os.system : x")]
    [InlineData("x: !!binary [a]")]
    [InlineData("x: !mytag { a: 1 }")]
    public void Tags_on_keys_lists_and_mappings_are_refused(string line)
    {
        var result = ManifestLoader.Parse("tag.yaml", ValidManifest + "\n" + line + "\n");

        result.Diagnostics.Should().Contain(d => d.Code == "WHC1023" && d.Span.Line == 7);
    }

    [Fact]
    public void Core_schema_tags_are_read_as_the_core_schema_defines_them()
    {
        var text = ValidManifest.Replace("spec:", "spec: !!map", StringComparison.Ordinal) + """

              numberBlocks: !!seq
                - { name: !!str brum, areaCode: !!str 0121, quantity: !!int "10", protect: !!bool "true" }
            """;

        var result = ManifestLoader.Parse("core.yaml", text);

        result.Diagnostics.Should().BeEmpty();
        var block = result.Companies.Should().ContainSingle().Subject.NumberBlocks.Should().ContainSingle().Subject;
        block.AreaCode.Should().Be("0121");
        block.Quantity.Should().Be(10);
        block.Protect.Should().BeTrue();
    }

    [Theory]
    [InlineData("quantity: !!int ten", "!!int")]
    [InlineData("quantity: !!bool 10", "!!bool")]
    [InlineData("quantity: !!str [10]", "!!str")]
    [InlineData("quantity: !!map [10]", "!!map")]
    public void A_core_tag_that_does_not_fit_its_value_is_refused(string field, string tag)
    {
        var text = ValidManifest + $$"""

              numberBlocks:
                - { name: brum, areaCode: "0121", {{field}} }
            """;

        var result = ManifestLoader.Parse("core.yaml", text);

        result.Diagnostics.Should().ContainSingle(d => d.Code == "WHC1023").Which.Message.Should().Contain(tag);
    }

    private const string FullManifest = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata: { name: fun-network }
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company:
            name: TheFunNetwork
            domain: thefunnetwork.com
            customerGroup: SWAINsTelecom
            admin: { name: Jane Smith, email: jane@thefunnetwork.com, phone: 01473 000000 }
            emergencyContact: { name: John Doe, email: john@thefunnetwork.com }
          numberBlocks:
            - { name: brum, areaCode: "0121", quantity: 10 }
          sites:
            - name: ipswich-hq
              locationCode: IPS01
              address: { postcode: IP5 3RE, premises: Adastral Park, street: Main Road, city: Ipswich }
              users:
                - username: jane.smith
                  firstName: Jane
                  lastName: Smith
                  extension: "2001"
                  number: { from: brum }
                  licence: standard
                  devices: [ { macAddress: "00:11:22:AA:BB:CC", model: Yealink T54W } ]
        """;

    [Theory]
    [InlineData("\\u202E", "U+202E (right-to-left override, a bidi control)")]
    [InlineData("\\u2066", "U+2066 (left-to-right isolate, a bidi control)")]
    [InlineData("\\e[2J", "U+001B (escape, a control character)")]
    [InlineData("\\0", "U+0000 (null, a control character)")]
    [InlineData("\\n", "U+000A (line feed, a control character)")]
    [InlineData("\\t", "U+0009 (tab, a control character)")]
    [InlineData("\\x9b", "U+009B (a control character)")]
    [InlineData("\\N", "U+0085 (next line, a control character)")]
    [InlineData("\\u200B", "U+200B (zero width space, an invisible character)")]
    [InlineData("\\uFEFF", "U+FEFF (zero width no-break space, an invisible character)")]
    [InlineData("\\L", "U+2028 (line separator, a line break)")]
    [InlineData("\\U000E0041", "U+E0041 (an invisible format character)")]
    public void Control_bidi_and_invisible_characters_in_text_are_refused_by_code_point(string escape, string described)
    {
        var text = FullManifest.Replace("name: TheFunNetwork", $"name: \"TheFun{escape}Network\"", StringComparison.Ordinal);

        var result = ManifestLoader.Parse("text.yaml", text);

        result.Companies.Should().BeEmpty();
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC2030");
        diagnostic.Span.Should().Be(new SourceSpan("text.yaml", 7, 11), "an escape is reported at the value");
        diagnostic.Message.Should().StartWith($"spec.company.name contains {described} as character 7");
        diagnostic.ToString().Should().NotContainAny(["\u202E", "\u2066", "\u001B", "\u200B", "\uFEFF", "\u2028", "\n", "\t"]);
    }

    [Fact]
    public void A_character_written_literally_is_reported_at_its_own_line_and_column()
    {
        var text = FullManifest.Replace("premises: Adastral Park", "premises: Adastral\u200B Park", StringComparison.Ordinal);

        var result = ManifestLoader.Parse("text.yaml", text);

        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.ToString().Should().Be(
            "text.yaml(17,55): error WHC2030: spec.sites[0].address.premises contains U+200B (zero width space, an invisible character) as character 9; text that reaches BT may hold no control, bidi or invisible characters: remove it");
    }

    [Fact]
    public void A_block_scalar_line_break_is_refused_with_a_hint()
    {
        var text = FullManifest.Replace("    customerGroup: SWAINsTelecom", "    customerGroup: |\n      SWAINsTelecom", StringComparison.Ordinal);

        var result = ManifestLoader.Parse("text.yaml", text);

        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC2030");
        diagnostic.Message.Should().Contain("U+000A").And.Contain("every field is one line: write the value on one line, without | or >");
    }

    [Theory]
    [InlineData("name: TheFunNetwork", "spec.company.name")]
    [InlineData("customerGroup: SWAINsTelecom", "spec.company.customerGroup")]
    [InlineData("domain: thefunnetwork.com", "spec.company.domain")]
    [InlineData("name: Jane Smith", "spec.company.admin.name")]
    [InlineData("phone: 01473 000000", "spec.company.admin.phone")]
    [InlineData("email: john@thefunnetwork.com", "spec.company.emergencyContact.email")]
    [InlineData("name: brum", "spec.numberBlocks[0].name")]
    [InlineData("name: ipswich-hq", "spec.sites[0].name")]
    [InlineData("locationCode: IPS01", "spec.sites[0].locationCode")]
    [InlineData("postcode: IP5 3RE", "spec.sites[0].address.postcode")]
    [InlineData("street: Main Road", "spec.sites[0].address.street")]
    [InlineData("city: Ipswich", "spec.sites[0].address.city")]
    [InlineData("username: jane.smith", "spec.sites[0].users[0].username")]
    [InlineData("firstName: Jane", "spec.sites[0].users[0].firstName")]
    [InlineData("lastName: Smith", "spec.sites[0].users[0].lastName")]
    [InlineData("from: brum", "spec.sites[0].users[0].number.from")]
    [InlineData("macAddress: \"00:11:22:AA:BB:CC\"", "spec.sites[0].users[0].devices[0].macAddress")]
    [InlineData("model: Yealink T54W", "spec.sites[0].users[0].devices[0].model")]
    [InlineData("metadata: { name: fun-network }", "metadata.name")]
    [InlineData("cugId: CUG5019851064", "spec.reseller.cugId")]
    public void Every_text_field_is_checked(string field, string path)
    {
        var (key, value) = (field[..field.IndexOf(':', StringComparison.Ordinal)], field[(field.IndexOf(':', StringComparison.Ordinal) + 2)..]);
        var injected = key == "metadata" ? "metadata: { name: \"fun-network\\n\" }" : $"{key}: \"{value.Trim('"')}\\u2029\"";
        var text = FullManifest.Replace(field, injected, StringComparison.Ordinal);

        var result = ManifestLoader.Parse("text.yaml", text);

        result.Diagnostics.Should().ContainSingle(d => d.Code == "WHC2030").Which.Message.Should().StartWith($"{path} contains U+");
        result.Companies.Should().BeEmpty();
    }

    [Fact]
    public void A_flood_of_bad_values_is_reported_in_bounded_space()
    {
        var users = string.Concat(Enumerable.Range(0, 2000).Select(i => $"        - {{ username: \"u{i}\\u202E\", firstName: A, lastName: B, extension: \"{1000 + i}\" }}\n"));
        var text = FullManifest[..FullManifest.IndexOf("      users:", StringComparison.Ordinal)] + "      users:\n" + users;

        var result = ManifestLoader.Parse("flood.yaml", text);

        result.Diagnostics.Where(d => d.Code == "WHC2030").Should().HaveCount(11);
        result.Diagnostics[^1].Message.Should().Be("1990 more values hold control, bidi or invisible characters; fix the ones above first");
    }

    [Fact]
    public void A_tagged_credential_value_is_never_echoed()
    {
        var result = ManifestLoader.Parse("secret.yaml", ValidManifest + "\npassword: !!int hunter2-do-not-print\n");

        result.Diagnostics.Should().ContainSingle(d => d.Code == "WHC1023");
        result.Diagnostics.Should().NotContain(d => d.ToString().Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_credential_value_is_never_echoed()
    {
        var text = ValidManifest.Replace("billingAccount: GB12345678 }", "billingAccount: GB12345678, password: hunter2-do-not-print }", StringComparison.Ordinal);

        var result = ManifestLoader.Parse("secret.yaml", text);

        result.Diagnostics.Should().ContainSingle(d => d.Code == "WHC1018").Which.Message.Should().Contain("WHC_CLIENT_SECRET");
        result.Diagnostics.Should().NotContain(d => d.ToString().Contains("hunter2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("clientSecret")]
    [InlineData("client_secret")]
    [InlineData("password")]
    [InlineData("token")]
    [InlineData("accessToken")]
    [InlineData("apiKey")]
    [InlineData("secret")]
    [InlineData("clientId")]
    public void Credential_like_field_names_are_recognised(string name)
    {
        Schema.SchemaChecker.LooksLikeCredential(name).Should().BeTrue();
    }

    [Theory]
    [InlineData("macAddress")]
    [InlineData("nadKey")]
    [InlineData("name")]
    [InlineData("customerGroup")]
    public void Ordinary_field_names_are_not_taken_for_credentials(string name)
    {
        Schema.SchemaChecker.LooksLikeCredential(name).Should().BeFalse();
    }
}
