using System.Collections.Concurrent;

namespace Whc.Declarative.State;

/// <summary>
/// Counts the state files a store reads and the JSON passes reading a state makes, by file or row: a seam for tests
/// that each state a plan needs is read once and parsed once (counts, not timing). Safe to share between threads.
/// </summary>
public sealed class StateReadProbe
{
    private readonly ConcurrentDictionary<string, int> reads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> parses = new(StringComparer.Ordinal);

    /// <summary>How many times the file (or row) was read.</summary>
    public int ReadsOf(string source) => reads.GetValueOrDefault(source);

    /// <summary>How many passes over its JSON reading the state made (the header check included).</summary>
    public int ParsesOf(string source) => parses.GetValueOrDefault(source);

    /// <summary>Every file or row read, with its count, in ordinal order.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Reads => [.. reads.OrderBy(r => r.Key, StringComparer.Ordinal)];

    /// <summary>Every file or row parsed, with its count of passes, in ordinal order.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Parses => [.. parses.OrderBy(p => p.Key, StringComparer.Ordinal)];

    internal void Read(string source) => reads.AddOrUpdate(source, 1, (_, n) => n + 1);

    internal void Parsed(string source) => parses.AddOrUpdate(source, 1, (_, n) => n + 1);
}
