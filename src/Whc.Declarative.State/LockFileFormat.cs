using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State;

/// <summary>
/// The content of a local <c>COMPANY.lock</c> file: the holder, when its process started (to detect pid reuse) and in
/// which pid namespace (so a pid is only judged where it means something), the fence's generation and when the lease
/// runs out. Files written by an earlier whcctl have no generation, lease or namespace: they read with those null.
/// Written with a JsonObject, not by reflection over this type.
/// </summary>
internal sealed record LockFileContent(
    string Id,
    string Who,
    string Host,
    int ProcessId,
    string Operation,
    DateTimeOffset Since,
    DateTimeOffset? ProcessStartedAt,
    long? Generation = null,
    DateTimeOffset? LeaseExpiresAt = null,
    string? PidNamespace = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public LockInfo ToLockInfo() => new(Id, Who, Host, ProcessId, Operation, Since);

    public static LockFileContent From(LockInfo info, DateTimeOffset? processStartedAt) =>
        new(info.Id, info.Who, info.Host, info.ProcessId, info.Operation, info.Since, processStartedAt);

    /// <summary>Whether this file is the lock the fence was given for.</summary>
    public bool Carries(LockFence fence) =>
        string.Equals(Id, fence.LockId, StringComparison.Ordinal) && Generation == fence.Generation;

    /// <summary>"who@host (pid N, 'operation', lock id X, generation G)" for messages.</summary>
    public string Describe()
    {
        var generation = Generation is { } g ? $", generation {g.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        return $"{Who}@{Host} (pid {ProcessId.ToString(CultureInfo.InvariantCulture)}, '{Operation}', lock id {Id}{generation})";
    }

    public string ToJson()
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["who"] = Who,
            ["host"] = Host,
            ["processId"] = ProcessId,
            ["operation"] = Operation,
            ["since"] = Since.ToString("O", CultureInfo.InvariantCulture),
        };
        if (ProcessStartedAt is { } started)
        {
            json["processStartedAt"] = started.ToString("O", CultureInfo.InvariantCulture);
        }

        if (PidNamespace is { } pidNamespace)
        {
            json["pidNamespace"] = pidNamespace;
        }

        if (Generation is { } generation)
        {
            json["generation"] = generation;
        }

        if (LeaseExpiresAt is { } expires)
        {
            json["leaseExpiresAt"] = expires.ToString("O", CultureInfo.InvariantCulture);
        }

        return json.ToJsonString(Indented) + "\n";
    }

    public static LockFileContent? TryParse(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject node || Text(node, "id") is not { Length: > 0 } id)
            {
                return null;
            }

            return new LockFileContent(
                id,
                Text(node, "who") ?? string.Empty,
                Text(node, "host") ?? string.Empty,
                node["processId"] is JsonValue pid && pid.TryGetValue<int>(out var processId) ? processId : 0,
                Text(node, "operation") ?? string.Empty,
                Time(node, "since") ?? default,
                Time(node, "processStartedAt"),
                node["generation"] is JsonValue g && g.TryGetValue<long>(out var generation) ? generation : null,
                Time(node, "leaseExpiresAt"),
                Text(node, "pidNamespace"));
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DateTimeOffset? Time(JsonObject node, string name) =>
        Text(node, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
