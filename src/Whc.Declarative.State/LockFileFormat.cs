using System.Text.Json;
using System.Text.Json.Serialization;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State;

/// <summary>The content of a local <c>COMPANY.lock</c> file: the holder and when its process started (to detect pid reuse).</summary>
internal sealed record LockFileContent(
    string Id,
    string Who,
    string Host,
    int ProcessId,
    string Operation,
    DateTimeOffset Since,
    DateTimeOffset? ProcessStartedAt)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public LockInfo ToLockInfo() => new(Id, Who, Host, ProcessId, Operation, Since);

    public static LockFileContent From(LockInfo info, DateTimeOffset? processStartedAt) =>
        new(info.Id, info.Who, info.Host, info.ProcessId, info.Operation, info.Since, processStartedAt);

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    public static LockFileContent? TryParse(string json)
    {
        try
        {
            var content = JsonSerializer.Deserialize<LockFileContent>(json, Options);
            return content is null || string.IsNullOrEmpty(content.Id) ? null : content;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
