using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.State;
using Whc.Declarative.Sandbox;
using Whc.Declarative.State;

namespace Whc.Declarative.Cli.Tests.Support;

/// <summary>
/// A sandbox server on a free loopback port, a temp workspace holding a copy of examples/, and whcctl run in-process
/// against both with the sandbox's public credentials (not a terminal, no colour). Orders complete at once.
/// </summary>
public sealed class SandboxSession : IAsyncDisposable
{
    private SandboxSession(SandboxServer sandbox, string? stateSpec)
    {
        Sandbox = sandbox;
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId,
            ["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret,
            ["WHC_ENDPOINT"] = sandbox.BaseUri.ToString(),
            ["NO_COLOR"] = "1",
        };
        if (stateSpec is not null)
        {
            environment["WHC_STATE"] = stateSpec;
        }

        Environment = environment;
    }

    public SandboxServer Sandbox { get; }

    public TempWorkspace Workspace { get; } = new();

    public IReadOnlyDictionary<string, string?> Environment { get; }

    /// <summary>A session whose state lives on <paramref name="backend"/> (<see cref="StateBackends"/>; WHC_STATE).</summary>
    /// <param name="contract">The wire contract the sandbox serves (the built-in one by default).</param>
    public static async Task<SandboxSession> StartAsync(string backend = StateBackends.Local, OrderTimings? timings = null, WhcContract? contract = null) =>
        new(
            await SandboxServer.StartAsync(new SandboxOptions { OrderTimings = timings ?? OrderTimings.Immediate, Contract = contract ?? WhcContract.Default }),
            await StateBackends.NewStateSpecAsync(backend));

    /// <summary>The company's current state file as <c>whcctl state pull</c> prints it, on whichever store the session uses.</summary>
    public async Task<string> StateAsync(string company)
    {
        var pull = await RunAsync("state", "pull", company);
        pull.ExitCode.Should().Be(ExitCodes.Success, pull.ToString());
        return pull.Output;
    }

    public Task<CliResult> RunAsync(params string[] args) => Whcctl.RunAsync(Workspace.Path, Environment, args);

    /// <summary>Runs whcctl as a child process (<see cref="CliExecutable"/>) with the session's environment; killed after two minutes.</summary>
    public Task<CliResult> RunChildAsync(params string[] args) =>
        ChildWhcctl.RunAsync(
            Workspace.Path,
            Environment.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value ?? string.Empty, StringComparer.Ordinal),
            TimeSpan.FromMinutes(2),
            args);

    /// <summary>Applies <paramref name="path"/> and insists it succeeded.</summary>
    public async Task ApplyAsync(string path, params string[] extra)
    {
        var apply = await RunAsync(["apply", path, "--auto-approve", .. extra]);
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
    }

    /// <summary>Writes <paramref name="relative"/> in the workspace, creating its directory.</summary>
    public void Write(string relative, string text)
    {
        var path = Workspace.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path) ?? Workspace.Path);
        File.WriteAllText(path, text);
    }

    public string Read(string relative) => File.ReadAllText(Workspace.File(relative));

    /// <summary>Replaces one exact piece of a workspace file, insisting that it is there.</summary>
    public void Edit(string relative, string from, string to)
    {
        var text = Read(relative);
        text.Should().Contain(from, $"the edit of {relative} must find its text");
        File.WriteAllText(Workspace.File(relative), text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>The session's state store, opened as whcctl opens it (WHC_STATE, or the workspace's .whc/state); dispose it when done.</summary>
    public IStateStore OpenStateStore() =>
        StateStoreFactory.Open(Environment.GetValueOrDefault("WHC_STATE"), Workspace.Path, Environment);

    /// <summary>Calls the sandbox's admin API (someone else at BT, faults) and insists it succeeded.</summary>
    public async Task AdminPostAsync(string path, object body)
    {
        using var admin = new HttpClient { BaseAddress = Sandbox.BaseUri };
        var response = await admin.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Reads from the sandbox's admin API, e.g. <c>/_sandbox/inventory</c> (what BT holds) or <c>/_sandbox/requests</c>.</summary>
    public async Task<JsonNode> AdminGetAsync(string path)
    {
        using var admin = new HttpClient { BaseAddress = Sandbox.BaseUri };
        return JsonNode.Parse(await admin.GetStringAsync(path))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Workspace.Dispose();
    }
}
