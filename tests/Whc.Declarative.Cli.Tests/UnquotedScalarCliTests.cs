using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// A plain scalar YAML reads as a number (or true/false) where the schema wants text: one message says to quote it
/// and, when the quoted text would still be refused, what it still needs, so a user fixes it in one round (issue 27).
/// </summary>
public sealed class UnquotedScalarCliTests : IDisposable
{
    private readonly TempWorkspace workspace = new();

    public void Dispose() => workspace.Dispose();

    private static string Manifest(string cugId, string extension) => $$"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata: { name: fun-network }
        spec:
          reseller:
            cugId: {{cugId}}
            billingAccount: GB12345678
          company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
          sites:
            - name: hq
              locationCode: HQ1
              address: { postcode: IP5 3RE, premises: Adastral Park }
              users:
                - { username: jane.smith, firstName: Jane, lastName: Smith, extension: {{extension}} }
        """;

    [Fact]
    public async Task An_unquoted_numeric_CUG_id_gets_one_message_that_says_to_quote_it_and_that_it_needs_the_CUG_prefix()
    {
        File.WriteAllText(workspace.File("company.yaml"), Manifest("5019851064", "\"2001\""));

        var result = await Whcctl.RunAsync(workspace.Path, "validate", "company.yaml");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Output.Should().BeEmpty();
        result.Error.Should().Be("""
            company.yaml(6,12): error WHC1016: spec.reseller.cugId must be text, not a number; quote it ("5019851064") so YAML reads it as text, and give it the expected format: The reseller's closed user group id: CUG followed by 10 digits, e.g. CUG5019851064.
            1 error in 1 file

            """.ReplaceLineEndings(), result.ToString());

        // The second round the one message spares: quoted as told and given the prefix, the manifest is valid.
        File.WriteAllText(workspace.File("company.yaml"), Manifest("\"CUG5019851064\"", "\"2001\""));
        var fixedRun = await Whcctl.RunAsync(workspace.Path, "validate", "company.yaml");
        fixedRun.ExitCode.Should().Be(ExitCodes.Success, fixedRun.ToString());
    }

    [Fact]
    public async Task An_unquoted_value_whose_text_is_right_is_only_told_to_be_quoted()
    {
        File.WriteAllText(workspace.File("company.yaml"), Manifest("CUG5019851064", "2001"));

        var result = await Whcctl.RunAsync(workspace.Path, "validate", "company.yaml");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().StartWith("""
            company.yaml(14,80): error WHC1016: spec.sites[0].users[0].extension must be text, not a number; quote it ("2001") so YAML reads it as text

            """.ReplaceLineEndings(), result.ToString());
    }

    [Fact]
    public async Task An_unquoted_value_whose_text_is_also_wrong_says_both_for_any_patterned_field()
    {
        File.WriteAllText(workspace.File("company.yaml"), Manifest("CUG5019851064", "1234567"));

        var result = await Whcctl.RunAsync(workspace.Path, "validate", "company.yaml");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().StartWith("""
            company.yaml(14,80): error WHC1016: spec.sites[0].users[0].extension must be text, not a number; quote it ("1234567") so YAML reads it as text, and give it the expected format: The user's internal extension, 2 to 6 digits, quoted, unique in the company, e.g. "2001".

            """.ReplaceLineEndings(), result.ToString());
    }
}
