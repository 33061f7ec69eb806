using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// Counts HTTP requests a client sent (every attempt, retries and token calls included), per operation; benchmarks use
/// it for "API calls per company". Thread-safe.
/// </summary>
public sealed class WhcCallCounter
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    public long Total => counts.Values.Sum();

    /// <summary>A snapshot: operation name (e.g. <c>token</c>, <c>readCompany</c>, <c>createOrder</c>) to requests sent.</summary>
    public ImmutableSortedDictionary<string, long> ByOperation => counts.ToImmutableSortedDictionary(StringComparer.Ordinal);

    public void Reset() => counts.Clear();

    internal void Increment(string operation) => counts.AddOrUpdate(operation, 1, (_, n) => n + 1);
}
