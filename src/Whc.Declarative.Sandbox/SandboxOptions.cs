using Microsoft.Extensions.Logging;

namespace Whc.Declarative.Sandbox;

/// <summary>A client (BT "developer app") whose consumer key and secret the sandbox accepts on the token route.</summary>
public sealed record SandboxClient(string ClientId, string ClientSecret);

/// <summary>How long a submitted order spends in each state, measured on the sandbox clock. Zero completes at submit.</summary>
public sealed record OrderTimings(TimeSpan Acknowledged, TimeSpan InProgress)
{
    /// <summary>About 0.3 s per stage: fast enough for a demo, slow enough to watch the states change.</summary>
    public static OrderTimings Default { get; } = new(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300));

    public static OrderTimings Immediate { get; } = new(TimeSpan.Zero, TimeSpan.Zero);
}

/// <summary>Everything the sandbox is started with. All members have sandbox-friendly defaults.</summary>
public sealed record SandboxOptions
{
    /// <summary>The public, sandbox-only client id accepted by default.</summary>
    public const string DefaultClientId = "whcctl-sandbox";

    /// <summary>The public, sandbox-only client secret accepted by default. Never valid against BT.</summary>
    public const string DefaultClientSecret = "sandbox-secret";

    /// <summary>Default number of WHCUser items one create-order payload may carry (BT's guide: about three).</summary>
    public const int DefaultMaxUsersPerOrder = 3;

    /// <summary>Default token lifetime in seconds, as BT's gateway answers.</summary>
    public const int DefaultTokenLifetimeSeconds = 899;

    /// <summary>TCP port on 127.0.0.1; 0 picks a free port (read it back from <see cref="SandboxServer.BaseUri"/>).</summary>
    public int Port { get; init; }

    /// <summary>Where the inventory is persisted; null keeps everything in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Accepted clients. Defaults to <see cref="DefaultClientId"/>:<see cref="DefaultClientSecret"/>.</summary>
    public IReadOnlyList<SandboxClient> Clients { get; init; } = [new SandboxClient(DefaultClientId, DefaultClientSecret)];

    /// <summary>Faults active from the start; replace them later through <c>POST /_sandbox/faults</c>.</summary>
    public FaultConfig Faults { get; init; } = FaultConfig.None;

    /// <summary>The time source the sandbox clock starts from; the admin API can advance or set it from there.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public OrderTimings OrderTimings { get; init; } = OrderTimings.Default;

    public int MaxUsersPerOrder { get; init; } = DefaultMaxUsersPerOrder;

    /// <summary>Seed for every random choice the fault injector makes, so a fault run can be reproduced.</summary>
    public int Seed { get; init; } = 1484;

    /// <summary>Receives one line per notable event (start, persistence problems); null logs nothing.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Capacity of the in-memory request log ring buffer.</summary>
    public int RequestLogCapacity { get; init; } = 2048;
}
