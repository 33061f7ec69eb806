using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Whc.Declarative.Contract;

namespace Whc.Declarative.Sandbox;

/// <summary>
/// A client (BT "developer app") whose consumer key and secret the sandbox accepts on the token route. Bound to
/// <see cref="Cugs"/>, it may act only for those resellers, as at BT (another CUG → 403/51). Without CUGs it is
/// unbound and may act for any: the default client is, so demos and tests need no set-up; bind clients to test
/// authorisation.
/// </summary>
public sealed partial record SandboxClient(string ClientId, string ClientSecret)
{
    /// <summary>The reseller CUG ids (<c>CUG</c> + 10 digits) this client may act for; empty = unbound.</summary>
    public IReadOnlyList<string> Cugs { get; init; } = [];

    public bool IsBound => Cugs.Count > 0;

    /// <summary>True for a CUG id as BT writes it: <c>CUG</c> followed by exactly 10 digits.</summary>
    public static bool IsCugId(string? value) => value is not null && CugIdPattern().IsMatch(value);

    // The manifests' format (ManifestFormats.CugId): the whole value, no trailing newline.
    [GeneratedRegex("^CUG[0-9]{10}\\z")]
    private static partial Regex CugIdPattern();
}

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

    /// <summary>The default client, unbound. Bind it with <c>DefaultClient with { Cugs = ["CUG5019851064"] }</c>.</summary>
    public static SandboxClient DefaultClient { get; } = new(DefaultClientId, DefaultClientSecret);

    /// <summary>Accepted clients (for a repeated id the last wins). Defaults to <see cref="DefaultClient"/>, unbound.</summary>
    public IReadOnlyList<SandboxClient> Clients { get; init; } = [DefaultClient];

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

    /// <summary>The wire contract the sandbox serves (routes, names, field maps): the same one the client uses.</summary>
    public WhcContract Contract { get; init; } = WhcContract.Default;

    /// <summary>
    /// [ASSUMED] Whether BT's company answers mark ported ranges (<c>numberRanges[].ported</c>). False leaves the mark
    /// out, as a BT that does not send it would: a ported range then looks like new numbers of its area code, the case
    /// whcctl must still keep apart by the ends it asked for. Changed at run time with <see cref="SandboxServer.MarksPortedRanges"/>.
    /// </summary>
    public bool MarkPortedRanges { get; init; } = true;

    /// <summary>Capacity of the in-memory request log ring buffer.</summary>
    public int RequestLogCapacity { get; init; } = 2048;
}
