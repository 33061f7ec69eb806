using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Whc.Declarative.Cli.Tests;

/// <summary>whcctl validate, run in-process with the real command tree and string writers.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "whcctl-validate-" + Guid.NewGuid().ToString("N"));

    public ValidateCommandTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));

    private static async Task<(int ExitCode, string Output, string Error)> Run(string workingDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var io = new IOContext(output, error, new StringReader(string.Empty), new Dictionary<string, string?>(), workingDirectory, isTerminal: false);
        var exitCode = await WhcctlApp.RunAsync(args, io);
        return (exitCode, output.ToString(), error.ToString());
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(directory, name), text);

    private const string BadManifest = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata: { name: fun-network }
        spec:
          reseller: { cugId: CUG123, billingAccount: GB12345678 }
          company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
          sites:
            - name: hq
              locationCode: HQ1
              address: { postcode: IP5 3RE }
        """;

    [Fact]
    public async Task Validate_examples_exits_0_and_says_the_companies_are_valid()
    {
        var (exitCode, output, error) = await Run(RepositoryRoot(), "validate", "examples/");

        exitCode.Should().Be(ExitCodes.Success);
        output.Should().BeEmpty();
        error.Should().Be("2 companies valid in 2 files\n".ReplaceLineEndings());
    }

    [Fact]
    public async Task Validate_prints_each_diagnostic_as_path_line_column_code_message_then_a_summary_and_exits_1()
    {
        Write("bad.yaml", BadManifest);

        var (exitCode, output, error) = await Run(directory, "validate", "bad.yaml");

        exitCode.Should().Be(ExitCodes.Error);
        output.Should().BeEmpty();
        error.Should().Be("""
            bad.yaml(5,22): error WHC2021: CUG id 'CUG123' is not valid: expected CUG followed by 10 digits (e.g. CUG5019851064)
            bad.yaml(10,16): warning WHC2012: the address of site 'hq' has a postcode but no premises; whcctl can pick the address only when BT lists exactly one at that postcode
            1 error, 1 warning in 1 file

            """.ReplaceLineEndings());
    }

    [Fact]
    public async Task Warnings_alone_do_not_fail_validation()
    {
        Write("warn.yaml", BadManifest.Replace("CUG123", "CUG5019851064", StringComparison.Ordinal));

        var (exitCode, _, error) = await Run(directory, "validate");

        exitCode.Should().Be(ExitCodes.Success);
        error.Should().EndWith("1 company valid in 1 file (1 warning)\n".ReplaceLineEndings());
    }

    [Fact]
    public async Task A_missing_path_fails_with_a_diagnostic_not_a_stack_trace()
    {
        var (exitCode, _, error) = await Run(directory, "validate", "nowhere/");

        exitCode.Should().Be(ExitCodes.Error);
        error.Should().StartWith("nowhere/: error WHC1001: no such file or directory").And.NotContain("   at ");
    }

    [Fact]
    public async Task Json_format_writes_only_a_json_document_to_stdout()
    {
        Write("bad.yaml", BadManifest);

        var (exitCode, output, error) = await Run(directory, "validate", "--format", "json", "bad.yaml");

        exitCode.Should().Be(ExitCodes.Error);
        error.Should().BeEmpty();
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        root.GetProperty("valid").GetBoolean().Should().BeFalse();
        root.GetProperty("errors").GetInt32().Should().Be(1);
        root.GetProperty("warnings").GetInt32().Should().Be(1);
        root.GetProperty("files").EnumerateArray().Select(f => f.GetString()).Should().Equal("bad.yaml");
        var first = root.GetProperty("diagnostics")[0];
        first.GetProperty("code").GetString().Should().Be("WHC2021");
        first.GetProperty("severity").GetString().Should().Be("error");
        first.GetProperty("file").GetString().Should().Be("bad.yaml");
        first.GetProperty("line").GetInt32().Should().Be(5);
        first.GetProperty("column").GetInt32().Should().Be(22);
        first.GetProperty("message").GetString().Should().StartWith("CUG id 'CUG123' is not valid");
    }

    [Fact]
    public async Task Json_format_lists_the_valid_companies()
    {
        var (exitCode, output, _) = await Run(RepositoryRoot(), "validate", "examples", "--format", "json");

        exitCode.Should().Be(ExitCodes.Success);
        using var document = JsonDocument.Parse(output);
        document.RootElement.GetProperty("valid").GetBoolean().Should().BeTrue();
        document.RootElement.GetProperty("companies").EnumerateArray().Select(c => c.GetString())
            .Should().Equal("northern-lights-media", "fun-network");
        document.RootElement.GetProperty("diagnostics").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task An_unknown_format_is_refused_by_the_parser()
    {
        var (exitCode, output, error) = await Run(directory, "validate", "--format", "xml");

        exitCode.Should().Be(ExitCodes.Error);
        output.Should().BeEmpty();
        error.Should().Contain("error WHC6001: --format 'xml' is not supported here");
    }

    [Fact]
    public async Task Validate_of_an_empty_manifest_exits_1_as_it_defines_no_company()
    {
        Write("empty.yaml", "---\n# truncated by a failed download\n");

        var (exitCode, output, error) = await Run(directory, "validate", "empty.yaml");

        exitCode.Should().Be(ExitCodes.Error);
        output.Should().BeEmpty();
        error.Should().Contain("empty.yaml: error WHC1024: no company found");
    }

    [Fact]
    public async Task Validate_of_a_hostile_directory_exits_1_with_diagnostics_no_stack_trace_within_10_seconds_writing_nothing()
    {
        // Given a manifest directory as an attacker would leave it: a FIFO, a link to /dev/zero, a link out of the tree,
        // a directory link loop, and a manifest with a bidi override and a custom tag
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var root = Path.Combine(directory, "manifests");
        Directory.CreateDirectory(Path.Combine(root, "team"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(root, "pipe.yaml")]))
        {
            mkfifo.WaitForExit();
        }

        File.CreateSymbolicLink(Path.Combine(root, "zero.yaml"), "/dev/zero");
        File.CreateSymbolicLink(Path.Combine(root, "passwd.yaml"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(root, "team", "up"), "..");
        File.WriteAllText(Path.Combine(root, "team", "company.yaml"), BadManifest.Replace("name: TheFunNetwork", "name: !ruby/object \"The\u202EFun\"", StringComparison.Ordinal));
        var before = Directory.GetFileSystemEntries(directory, "*", new EnumerationOptions { RecurseSubdirectories = false }).Order().ToList();

        // When it is validated
        var run = Run(directory, "validate", "manifests");
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)));

        // Then it finishes, exits 1 with a diagnostic for each, and writes nothing
        finished.Should().BeSameAs(run, "validate must not hang on a FIFO or /dev/zero");
        var (exitCode, output, error) = await run;
        exitCode.Should().Be(ExitCodes.Error);
        output.Should().BeEmpty();
        error.Should().Contain("manifests/pipe.yaml: error WHC1025")
            .And.Contain("manifests/zero.yaml: error WHC1028")
            .And.Contain("manifests/passwd.yaml: error WHC1028")
            .And.Contain("manifests/team/up: warning WHC1026")
            .And.Contain("manifests/team/company.yaml(6,20): error WHC1023")
            .And.NotContain("   at ", "no stack trace")
            .And.NotContain("root:x:0:0", "no file outside the tree is read");
        Directory.GetFileSystemEntries(directory, "*", new EnumerationOptions { RecurseSubdirectories = false }).Order().Should().Equal(before);
    }
}
