using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;
using Whc.Declarative.Manifests;
using Whc.Declarative.Sandbox;
using Whc.Declarative.State;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// The real parts a user meets: the sandbox on a loopback port, the HTTP client, and a local state directory on disk.
/// Plans and applies the way the CLI does (refresh → plan → apply), without the console.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly string stateDirectory;

    private EngineHarness(SandboxServer sandbox, WhcClient client, string stateDirectory)
    {
        Sandbox = sandbox;
        Client = client;
        this.stateDirectory = stateDirectory;
        Store = new LocalStateStore(stateDirectory);
        Admin = new HttpClient { BaseAddress = sandbox.BaseUri };
    }

    public SandboxServer Sandbox { get; }

    public WhcClient Client { get; }

    public LocalStateStore Store { get; }

    public HttpClient Admin { get; }

    public int MaxUsersPerOrder { get; init; } = 3;

    public static async Task<EngineHarness> StartAsync(FaultConfig? faults = null, OrderTimings? timings = null, int requestLogCapacity = 2048)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Faults = faults ?? FaultConfig.None,
            OrderTimings = timings ?? new OrderTimings(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20)),
            RequestLogCapacity = requestLogCapacity,
        });
        var client = new WhcClient(new WhcClientOptions
        {
            BaseUri = sandbox.BaseUri,
            Credentials = new WhcCredentials(SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret),
            BaseDelay = TimeSpan.FromMilliseconds(5),
            MaxDelay = TimeSpan.FromSeconds(2),
            MaxAttempts = 6,
            Timeout = TimeSpan.FromSeconds(10),
            RandomSeed = 7,
        });
        var directory = Path.Combine(Path.GetTempPath(), "whc-engine-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new EngineHarness(sandbox, client, directory);
    }

    public static ImmutableArray<CompanyManifest> Manifests(string yaml)
    {
        var set = ManifestLoader.Parse("test.yaml", yaml);
        set.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
        return set.Companies;
    }

    public static ApplyOptions Options(int parallelism = 8) => new()
    {
        Parallelism = parallelism,
        Holder = new LockInfo(Guid.NewGuid().ToString(), "test", Environment.MachineName, Environment.ProcessId, "whcctl apply", DateTimeOffset.UtcNow),
        FirstPollInterval = TimeSpan.FromMilliseconds(10),
        MaxPollInterval = TimeSpan.FromMilliseconds(50),
        OrderTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Plans with the CLI's own plan operation; <paramref name="clock"/> stands in for the wall clock (e.g. the sandbox's clock).</summary>
    public Task<Plan> PlanAsync(ImmutableArray<CompanyManifest> manifests, IWhcApi? api = null, bool refresh = true, TimeProvider? clock = null, int? maxUsersPerOrder = null) =>
        PlanOperation.PlanManifestsAsync(
            manifests,
            PlanMode.Normal,
            refresh,
            parallelism: 4,
            new PlannerOptions { MaxUsersPerOrder = maxUsersPerOrder ?? MaxUsersPerOrder },
            clock ?? TimeProvider.System,
            Store,
            api ?? Client,
            CancellationToken.None);

    public async Task<ApplyResult> ApplyAsync(Plan plan, IWhcApi? api = null, IStateStore? store = null, int parallelism = 8, TimeProvider? clock = null)
    {
        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        var executor = new ApplyExecutor(api ?? Client, store ?? Store, clock ?? TimeProvider.System, Options(parallelism), NullApplyObserver.Instance);
        return await executor.ApplyAsync(plan, CancellationToken.None);
    }

    public async Task<ApplyResult> PlanAndApplyAsync(ImmutableArray<CompanyManifest> manifests)
    {
        var plan = await PlanAsync(manifests);
        return await ApplyAsync(plan);
    }

    public async Task<JsonObject> InventoryAsync() =>
        (JsonNode.Parse(await Admin.GetStringAsync("/_sandbox/inventory")) ?? new JsonObject()).AsObject();

    public async Task SetFaultsAsync(FaultConfig faults)
    {
        Sandbox.ReplaceFaults(faults);
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Client.Dispose();
        await Sandbox.DisposeAsync();
        try
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Small YAML manifests for tests: a company with N users spread over sites, numbers from one block.</summary>
public static class TestManifests
{
    public static string Company(string key, string name, int users, int sites = 1, string areaCode = "0121", int quantity = 0)
    {
        var yaml = new System.Text.StringBuilder();
        yaml.Append($$"""
            apiVersion: whc.declarative/v1
            kind: Company
            metadata:
              name: {{key}}
            spec:
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company: { name: {{name}}, domain: {{key}}.example.com, customerGroup: TestGroup }
              numberBlocks:
                - { name: main, areaCode: "{{areaCode}}", quantity: {{Math.Max(quantity, users + 2)}} }
              sites:

            """);
        for (var s = 0; s < sites; s++)
        {
            yaml.Append($$"""
                    - name: site-{{s}}
                      locationCode: {{key[..Math.Min(3, key.Length)].ToUpperInvariant()}}{{s:00}}
                      address: { nadKey: X05000455530 }
                      users:

                """);
            for (var u = s; u < users; u += sites)
            {
                yaml.Append($$"""
                          - { username: {{key}}.user{{u}}, firstName: User, lastName: Number{{u}}, extension: "{{2000 + u}}", number: { from: main } }

                    """);
            }
        }

        return yaml.ToString();
    }
}
