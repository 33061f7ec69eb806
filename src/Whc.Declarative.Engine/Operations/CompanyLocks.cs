using System.Collections.Immutable;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// The locks of the companies an apply will change, taken before it plans (as Terraform locks before it plans): a
/// second apply waits for, or fails on, the first before it shows anything, and then plans against what the first
/// left. Taken in one order (by key), so two applies of overlapping estates cannot each hold what the other waits for.
/// </summary>
public sealed class CompanyLocks : IAsyncDisposable
{
    private readonly ImmutableDictionary<string, IStateLock> held;

    private CompanyLocks(ImmutableDictionary<string, IStateLock> held) => this.held = held;

    public IReadOnlyDictionary<string, IStateLock> Held => held;

    /// <summary>Takes every company's lock, waiting up to <paramref name="timeout"/> for each; on failure none is kept.</summary>
    public static async Task<CompanyLocks> AcquireAsync(IStateStore store, IEnumerable<string> companies, LockInfo holder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(companies);
        var held = ImmutableDictionary.CreateBuilder<string, IStateLock>(StringComparer.Ordinal);
        try
        {
            foreach (var company in companies.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                held[company] = await store.AcquireLockAsync(company, holder, timeout, cancellationToken);
            }
        }
        catch
        {
            foreach (var taken in held.Values)
            {
                await taken.DisposeAsync();
            }

            throw;
        }

        return new CompanyLocks(held.ToImmutable());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var taken in held.Values)
        {
            await taken.DisposeAsync();
        }
    }
}
