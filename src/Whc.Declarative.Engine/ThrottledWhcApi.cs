using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.Engine;

/// <summary>
/// Bounds how many requests are in flight at BT at once (<c>--parallelism</c>). The bound is on calls, not on steps:
/// a step that waits for an order between polls, or writes state, does not hold back anyone else's call.
/// </summary>
internal sealed class ThrottledWhcApi(IWhcApi inner, SemaphoreSlim slots) : IWhcApi
{
    /// <summary>
    /// Runs <paramref name="call"/> once a slot is free, giving it the API itself, so that a caller can tell when its
    /// request really left (after waiting for the slot), as polling needs to.
    /// </summary>
    /// <remarks>
    /// The call carries its company's gate (<see cref="BtCallGate.Current"/>, set by the company's task): a lock lost
    /// while waiting for a slot ends the wait. The gate itself is asked by the HTTP client right before each attempt
    /// (retries happen there, below this interface), not here too: on PostgreSQL each check is a round trip on the
    /// run's one lock session, which every company's calls share.
    /// </remarks>
    public async Task<T> WithSlotAsync<T>(Func<IWhcApi, Task<T>> call, CancellationToken cancellationToken)
    {
        var gate = BtCallGate.Current;
        if (gate is null)
        {
            await slots.WaitAsync(cancellationToken);
        }
        else
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, gate.Closed);
            try
            {
                await slots.WaitAsync(waiting.Token);
            }
            catch (OperationCanceledException) when (gate.Closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                await gate.EnsureOpenAsync(cancellationToken);
                throw;
            }
        }

        try
        {
            return await call(inner);
        }
        finally
        {
            slots.Release();
        }
    }

    private Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) => WithSlotAsync(_ => call(), cancellationToken);

    public Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken) =>
        CallAsync(() => inner.ReadCompanyAsync(cugId, companyName, cancellationToken), cancellationToken);

    public Task<ImmutableArray<CompanySummary>> ListCompaniesAsync(string cugId, CancellationToken cancellationToken) =>
        CallAsync(() => inner.ListCompaniesAsync(cugId, cancellationToken), cancellationToken);

    public Task<bool> IsTakenAsync(string cugId, VerifyCheck check, CancellationToken cancellationToken) =>
        CallAsync(() => inner.IsTakenAsync(cugId, check, cancellationToken), cancellationToken);

    public Task<QualificationResult> QualifyAsync(QualificationRequest request, CancellationToken cancellationToken) =>
        CallAsync(() => inner.QualifyAsync(request, cancellationToken), cancellationToken);

    public Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken) =>
        CallAsync(() => inner.RingFenceAsync(request, cancellationToken), cancellationToken);

    public Task<ImmutableArray<AddressRecord>> SearchAddressesAsync(string postcode, CancellationToken cancellationToken) =>
        CallAsync(() => inner.SearchAddressesAsync(postcode, cancellationToken), cancellationToken);

    public Task<AddressRecord> CreateAddressAsync(NewAddress address, CancellationToken cancellationToken) =>
        CallAsync(() => inner.CreateAddressAsync(address, cancellationToken), cancellationToken);

    public Task<string> CreateOrderAsync(OrderRequest order, CancellationToken cancellationToken) =>
        CallAsync(() => inner.CreateOrderAsync(order, cancellationToken), cancellationToken);

    public Task SubmitOrderAsync(string orderId, CancellationToken cancellationToken) =>
        CallAsync(
            async () =>
            {
                await inner.SubmitOrderAsync(orderId, cancellationToken);
                return true;
            },
            cancellationToken);

    public Task<OrderStatus> ReadOrderAsync(string orderId, CancellationToken cancellationToken) =>
        CallAsync(() => inner.ReadOrderAsync(orderId, cancellationToken), cancellationToken);

    public Task<OrderStatus?> FindOrderByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        CallAsync(() => inner.FindOrderByExternalIdAsync(externalId, cancellationToken), cancellationToken);
}
