using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;
using Whc.Declarative.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 26: a list attribute is a list from Core to the output. Lists were joined with ", " in Core and split again in
/// the CLI, so an item holding ", " (a device identifier as BT reported it and state recorded it) came out as two.
/// </summary>
public sealed class ListValueTests : IDisposable
{
    private const string Device = "001122AABBCC, desk phone";
    private readonly string workingDirectory = Path.Combine(Path.GetTempPath(), "whc-cli-lists-" + Guid.NewGuid().ToString("N"));

    public ListValueTests() => Directory.CreateDirectory(workingDirectory);

    public void Dispose() => Directory.Delete(workingDirectory, recursive: true);

    [Fact]
    public async Task Show_json_keeps_a_device_holding_a_comma_and_space_as_one_item()
    {
        await SeedAsync();

        var (exit, output, error) = await RunAsync("show", "--format", "json");

        exit.Should().Be(0, error);
        var resources = JsonNode.Parse(output)!["values"]!["root_module"]!["child_modules"]![0]!["resources"]!.AsArray();
        var devices = resources.Single(r => r!["type"]!.GetValue<string>() == "whc_user")!["values"]!["devices"]!.AsArray();
        devices.Select(d => d!.GetValue<string>()).Should().Equal(Device);
    }

    [Fact]
    public async Task Show_text_keeps_a_device_holding_a_comma_and_space_as_one_item()
    {
        await SeedAsync();

        var (exit, output, error) = await RunAsync("show");

        exit.Should().Be(0, error);
        output.Should().Contain("    devices   = [\"001122AABBCC, desk phone\"]\n");
    }

    /// <summary>
    /// The text plan showed any value starting with "(" bare, as it shows a note: a first name "(known after ringfence)"
    /// passed for a value still unknown. Known text is always quoted now; only an unknown value is a bare note.
    /// </summary>
    [Fact]
    public async Task A_text_that_reads_like_a_note_is_shown_quoted_as_a_value_in_the_text_plan()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Edit("examples/quickstart/company.yaml", "firstName: Jane", "firstName: \"(known after ringfence)\"");

        var plan = await session.RunAsync("plan", "examples/quickstart");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        plan.Output.Should().Contain("        firstName: \"(known after ringfence)\"\n")
            .And.Contain("        number:    (known after ringfence)\n", "the number is still unknown, and shown as a note");
    }

    private async Task SeedAsync()
    {
        var state = CompanyState.New("acme", "0b8e5f3a-9c1d-4e2f-a374-5b6c7d8e9f01") with
        {
            Serial = 1,
            Record = new CompanyRecord("Acme", "acme.example", "GRP", "CUG1", "GB1", "WHHCBTWKN1", null, true),
            Sites = [new SiteState("hq", "HQ1", "X1", "WHHSBTWKN2")],
            Users = [new UserState("jane", "hq", "Jane", "Smith", "2001", null, null, "standard", [Device], "WHHUBTWKN3")],
        };
        await new LocalStateStore(Path.Combine(workingDirectory, ".whc", "state")).WriteAsync(state, new StateWriteContext("test", DateTimeOffset.UnixEpoch), default);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var io = new IOContext(output, error, new StringReader(string.Empty), new Dictionary<string, string?>(), workingDirectory, isTerminal: false);
        var exit = await WhcctlApp.RunAsync(args, io);
        return (exit, output.ToString(), error.ToString());
    }
}
