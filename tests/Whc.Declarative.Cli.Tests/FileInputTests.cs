using System.Diagnostics;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Every file whcctl opens on a user's word is read as a manifest is: a regular file only (a FIFO must not hang it,
/// /dev/zero must not grow it), within a size cap, refused with the input's own code naming the file.
/// </summary>
public sealed class FileInputTests : IDisposable
{
    private readonly TempWorkspace workspace = new();

    public static TheoryData<string[], string, string> Inputs => new()
    {
        { ["contract", "show", "--contract", "INPUT"], "WHC4006", "contract" },
        { ["contract", "show", "--routes", "INPUT"], "WHC4003", "routes" },
        { ["show", "INPUT"], "WHC4057", "plan file" },
        { ["sandbox", "replay", "INPUT"], "WHC4031", "recording" },
        { ["state", "push", "fun-network", "INPUT"], "WHC5003", "state file" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task A_FIFO_is_refused_before_it_is_opened_and_does_not_hang(string[] args, string code, string kind)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = workspace.File("input.pipe");
        MakeFifo(fifo);

        var result = await RunWithin(Substitute(args, "input.pipe"), fifo);

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().Contain($"error {code}").And.Contain("input.pipe").And.Contain("FIFO")
            .And.NotContain("   at ", $"a {kind} that is a FIFO is a clear error, not a stack trace");
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Dev_zero_is_refused_and_nothing_grows(string[] args, string code, string kind)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var result = await RunWithin(Substitute(args, "/dev/zero"), fifo: null);

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().Contain($"error {code}").And.Contain("/dev/zero").And.Contain("character device")
            .And.NotContain("   at ", $"a {kind} that is a device is a clear error, not a stack trace");
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task A_link_to_a_device_is_refused_by_what_it_leads_to(string[] args, string code, string kind)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.CreateSymbolicLink(workspace.File("zero.json"), "/dev/zero");

        var result = await RunWithin(Substitute(args, "zero.json"), fifo: null);

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().Contain($"error {code}").And.Contain("zero.json").And.Contain("character device")
            .And.NotContain("   at ", $"a {kind} linked to a device is a clear error");
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task A_directory_is_refused_with_the_inputs_code(string[] args, string code, string kind)
    {
        Directory.CreateDirectory(workspace.File("folder"));

        var result = await RunWithin(Substitute(args, "folder"), fifo: null);

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().Contain($"error {code}").And.Contain("folder").And.Contain("directory")
            .And.NotContain("   at ", $"a {kind} that is a directory is a clear error");
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task A_regular_file_over_the_cap_is_refused_with_the_cap_named(string[] args, string code, string kind)
    {
        // Spaces: valid JSON whitespace, so only the size can be what is refused.
        using (var stream = new FileStream(workspace.File("huge.json"), FileMode.CreateNew))
        {
            stream.SetLength(300L * 1024 * 1024);
        }

        var result = await RunWithin(Substitute(args, "huge.json"), fifo: null);

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().Contain($"error {code}").And.Contain("huge.json").And.Contain("MiB")
            .And.NotContain("   at ", $"a {kind} over the cap is a clear error");
    }

    [Fact]
    public async Task A_contract_reached_through_a_link_the_user_typed_is_read()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.WriteAllText(workspace.File("real-contract.json"), "{}");
        File.CreateSymbolicLink(workspace.File("contract.json"), workspace.File("real-contract.json"));

        var result = await Whcctl.RunAsync(workspace.Path, "contract", "show", "--contract", "contract.json");

        result.ExitCode.Should().Be(ExitCodes.Success, "a path the user typed is theirs, links and all, as manifests' are: " + result);
    }

    [Fact]
    public async Task Apply_given_a_FIFO_does_not_hang_telling_a_saved_plan_from_a_manifest()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var session = await SandboxSession.StartAsync();
        var fifo = session.Workspace.File("plan.pipe");
        MakeFifo(fifo);

        var result = await RunWithin(() => session.RunAsync("apply", "plan.pipe", "--auto-approve"), fifo, "apply plan.pipe");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().Contain("plan.pipe").And.Contain("FIFO").And.NotContain("   at ");
    }

    public void Dispose() => workspace.Dispose();

    private static string[] Substitute(string[] args, string input) => [.. args.Select(a => a == "INPUT" ? input : a)];

    /// <summary>Runs whcctl, failing the test (not hanging it) when the run does not end within seconds.</summary>
    private Task<CliResult> RunWithin(string[] args, string? fifo) =>
        RunWithin(() => Whcctl.RunAsync(workspace.Path, args), fifo, string.Join(' ', args));

    private static async Task<CliResult> RunWithin(Func<Task<CliResult>> start, string? fifo, string shown)
    {
        var run = Task.Run(start);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20)));
        if (finished != run && fifo is not null)
        {
            // Release the stuck reader (a writer that closes at once gives it end of file), then fail.
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }
        }

        finished.Should().BeSameAs(run, $"whcctl {shown} must return, not hang or grow without bound");
        return await run;
    }

    private static void MakeFifo(string path)
    {
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false }) ?? throw new InvalidOperationException("mkfifo did not start");
        process.WaitForExit();
        process.ExitCode.Should().Be(0, "mkfifo makes the FIFO");
    }
}
