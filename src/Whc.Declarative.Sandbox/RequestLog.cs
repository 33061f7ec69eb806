namespace Whc.Declarative.Sandbox;

/// <summary>One API call as the sandbox saw it. Never holds tokens, secrets or bodies.</summary>
public sealed record RequestLogEntry(
    DateTimeOffset Time, string Method, string Path, string? Route, int Status, string? TrackingId, double DurationMs, string? ClientId, string? Fault);

/// <summary>A bounded ring buffer of recent calls: cheap to append, oldest entries fall off.</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly RequestLogEntry[] _entries = new RequestLogEntry[Math.Max(1, capacity)];
    private long _count;

    public void Add(RequestLogEntry entry)
    {
        lock (_gate)
        {
            _entries[_count % _entries.Length] = entry;
            _count++;
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            var length = (int)Math.Min(_count, _entries.Length);
            var result = new RequestLogEntry[length];
            for (var i = 0; i < length; i++)
            {
                result[i] = _entries[(_count - length + i) % _entries.Length];
            }

            return result;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            Array.Clear(_entries);
            _count = 0;
        }
    }
}
