using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>Realistic company states, built in code (the golden file must match <see cref="FunNetwork"/>).</summary>
public static class SampleStates
{
    public const string Lineage = "7f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6";

    /// <summary>Another history's lineage (state refuses a lineage that is not a UUID).</summary>
    public const string OtherLineage = "0b8e5f3a-9c1d-4e2f-a374-5b6c7d8e9f01";

    public static CompanyState FunNetwork(long serial = 3) => new(
        CompanyState.CurrentVersion,
        serial,
        Lineage,
        "fun-network",
        new CompanyRecord(
            "TheFunNetwork",
            "thefunnetwork.com",
            "SWAINsTelecom",
            "CUG5019851064",
            "GB12345678",
            "WHHCBTWKN1484",
            new QualificationRecord("QFW103255", new DateTimeOffset(2026, 11, 26, 23, 59, 0, TimeSpan.Zero), true),
            true),
        [new NumberBlockState("birmingham", "0121", 10, [new NumberRangeState("01214960000", "01214960009", true, "WHHNBTWKN1490")])],
        // Deliberately out of order: the serializer sorts.
        [
            new SiteState("london-office", "LON01", "X05000455531", null),
            new SiteState("ipswich-hq", "IPS01", "X05000455530", "WHHSBTWKN1491"),
        ],
        [
            new UserState("tom.jones", "london-office", "Tom", "Jones", "2002", null, null, "basic", [], null),
            new UserState("jane.smith", "ipswich-hq", "Jane", "Smith", "2001", "birmingham", "01214960000", "standard", ["001122AABBCC"], "WHHUBTWKN1492"),
        ],
        [new OrderRecord("ORD-1001", "whc-fun-network-3-user-jane.smith", "user/jane.smith/create", OrderState.Completed, new DateTimeOffset(2026, 11, 26, 10, 15, 0, TimeSpan.Zero), ["fun-network/user/jane.smith"])],
        [new IntentRecord("b3f0", "site/london-office/create", "create-site", new DateTimeOffset(2026, 11, 26, 10, 20, 0, TimeSpan.Zero), ImmutableSortedDictionary<string, string>.Empty.Add("externalId", "whc-fun-network-3-site-london-office"))]);

    public static CompanyState Minimal(string company, long serial, string lineage) =>
        CompanyState.New(company, lineage) with { Serial = serial };

    public static StateWriteContext Context { get; } = new("tester", new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public static LockInfo Holder(string who = "alice", string operation = "apply") =>
        new(Guid.NewGuid().ToString("N"), who, Environment.MachineName, Environment.ProcessId, operation, DateTimeOffset.UtcNow);
}
