using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using AnyAscii;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Operations;

/// <summary>Adopt every company of a reseller: its CUG, the billing account to record (BT's inventory has none), who imports where.</summary>
public sealed record BulkImportRequest(string CugId, string BillingAccount, LockInfo Holder, TimeSpan LockTimeout, EndpointName? Endpoint, int Parallelism);

public enum BulkImportResult
{
    /// <summary>Adopted by this run.</summary>
    Imported,

    /// <summary>State already holds this company (an earlier, perhaps interrupted, run adopted it): left as it is.</summary>
    AlreadyInState,

    /// <summary>Not adopted: BT or the state store refused; the diagnostics say why. The other companies go on.</summary>
    Failed,
}

/// <summary>What became of one listed company; <see cref="State"/> is its state when it is in state now.</summary>
public sealed record BulkImportItem(string CompanyName, string Key, BulkImportResult Result, CompanyState? State, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// Bulk adoption: lists the reseller's companies at BT, gives each new one a company key made from its name, and
/// imports them in parallel, each through <see cref="ImportOperation"/> under its own lock. Resumable: a company that
/// state already holds (found by CUG and name, whatever its key) is not imported again, so a run that was stopped is
/// simply run again. One company's failure does not stop the others.
/// </summary>
public static class BulkImportOperation
{
    private const int MaxKeyLength = 63;

    /// <summary>Imports every listed company; <paramref name="progress"/> hears of each as it finishes, with the number listed.</summary>
    public static async Task<ImmutableArray<BulkImportItem>> RunAsync(
        BulkImportRequest request,
        IStateStore store,
        IWhcApi api,
        TimeProvider clock,
        Action<BulkImportItem, int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(store);
        var listed = (await api.ListCompaniesAsync(request.CugId, cancellationToken)).Where(c => c.Status != CompanyStatus.Ceased).ToList();
        var managed = await ManagedCompaniesAsync(store, request.CugId, cancellationToken);
        var keys = AssignKeys(listed, managed);
        var items = new ConcurrentBag<BulkImportItem>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(listed, options, async (company, token) =>
        {
            var item = managed.TryGetValue(company.CompanyName, out var state)
                ? new BulkImportItem(company.CompanyName, state.Company, BulkImportResult.AlreadyInState, state, [])
                : await ImportOneAsync(request, company.CompanyName, keys[company.ServiceId], store, api, clock, token);
            items.Add(item);
            progress?.Invoke(item, listed.Count);
        });
        return [.. items.OrderBy(i => i.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The company key for a BT company name: lowercase ASCII letters and digits, everything else a single dash, at most
    /// 63 characters ("Fun Network Ltd." → <c>fun-network-ltd</c>); other scripts are transliterated first ("Café Zoë" →
    /// <c>cafe-zoe</c>, "Ωmega" → <c>omega</c>).
    /// </summary>
    public static string KeyFor(string companyName)
    {
        ArgumentNullException.ThrowIfNull(companyName);
        var key = new StringBuilder();
        foreach (var c in companyName.Transliterate())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                key.Append(char.ToLowerInvariant(c));
            }
            else if (key.Length > 0 && key[^1] != '-')
            {
                key.Append('-');
            }
        }

        var text = Shorten(key.ToString(), MaxKeyLength);
        return text.Length == 0 ? "company" : text;
    }

    /// <summary>
    /// Keys for the companies to import: <see cref="KeyFor"/>, or, when that is taken (by state or by another listed
    /// company), the key with the company's service id after it, which BT keeps unique; so a company's key does not
    /// depend on which other companies the listing holds or in which order.
    /// </summary>
    private static Dictionary<string, string> AssignKeys(List<CompanySummary> listed, Dictionary<string, CompanyState> managed)
    {
        var taken = managed.Values.Select(s => s.Company).ToHashSet(StringComparer.Ordinal);
        var fresh = listed.Where(c => !managed.ContainsKey(c.CompanyName)).ToList();
        var clashing = fresh.GroupBy(c => KeyFor(c.CompanyName)).Where(g => g.Count() > 1 || taken.Contains(g.Key)).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return fresh.ToDictionary(
            c => c.ServiceId,
            c =>
            {
                var key = KeyFor(c.CompanyName);
                if (!clashing.Contains(key))
                {
                    return key;
                }

                var suffix = "-" + KeyFor(c.ServiceId);
                return Shorten(key, MaxKeyLength - suffix.Length) + suffix;
            },
            StringComparer.Ordinal);
    }

    private static string Shorten(string key, int length) => (key.Length <= length ? key : key[..length]).Trim('-');

    /// <summary>The reseller's companies state already records, by their name at BT.</summary>
    private static async Task<Dictionary<string, CompanyState>> ManagedCompaniesAsync(IStateStore store, string cugId, CancellationToken cancellationToken)
    {
        var managed = new Dictionary<string, CompanyState>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in await store.ListCompaniesAsync(cancellationToken))
        {
            if (await store.ReadAsync(key, cancellationToken) is { Record: { } record } state && record.CugId == cugId)
            {
                managed.TryAdd(record.Name, state);
            }
        }

        return managed;
    }

    private static async Task<BulkImportItem> ImportOneAsync(BulkImportRequest request, string companyName, string key, IStateStore store, IWhcApi api, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await ImportOperation.RunAsync(
                new ImportRequest(key, request.CugId, companyName, request.BillingAccount, null, request.Holder, request.LockTimeout, request.Endpoint),
                store,
                api,
                clock,
                cancellationToken);
            return new BulkImportItem(companyName, key, outcome.State is null ? BulkImportResult.Failed : BulkImportResult.Imported, outcome.State, outcome.Diagnostics);
        }
        catch (WhcApiException e)
        {
            return new BulkImportItem(companyName, key, BulkImportResult.Failed, null, [e.ToDiagnostic()]);
        }
        catch (StateException e)
        {
            return new BulkImportItem(companyName, key, BulkImportResult.Failed, null, [new Diagnostic(e.Code, DiagnosticSeverity.Error, SourceSpan.None, e.Message)]);
        }
    }
}
