using System.CommandLine;
using System.CommandLine.Completions;
using Whc.Declarative.Core.State;
using Whc.Declarative.State;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// Shell completion of resource addresses (<c>state show|rm|mv ADDRESS</c>, <c>--target</c>): the addresses in the state
/// the command would read, the <c>--state</c> on the line (or WHC_STATE, or .whc/state) as the command resolves it.
/// Completion runs on every TAB: a state that cannot be read offers nothing and says nothing, and a slow store is
/// given up on rather than leaving the shell waiting.
/// </summary>
internal static class StateAddressCompletion
{
    private static readonly TimeSpan ReadBudget = TimeSpan.FromSeconds(3);

    /// <summary>Adds the completion to <paramref name="argument"/>, reading the store <paramref name="state"/> names.</summary>
    public static void Add<T>(Argument<T> argument, IOContext io, Option<string?> state, Func<ResourceAddress, bool>? offered = null) =>
        argument.CompletionSources.Add(context => Addresses(context, io, state, offered ?? (_ => true)));

    /// <summary>Adds the completion to <paramref name="option"/>'s value, reading the store <paramref name="state"/> names.</summary>
    public static void Add<T>(Option<T> option, IOContext io, Option<string?> state) =>
        option.CompletionSources.Add(context => Addresses(context, io, state, _ => true));

    private static List<CompletionItem> Addresses(CompletionContext context, IOContext io, Option<string?> state, Func<ResourceAddress, bool> offered)
    {
        var typed = context.WordToComplete ?? string.Empty;
        IReadOnlyList<string> addresses;
        try
        {
            using var budget = new CancellationTokenSource(ReadBudget);
            addresses = ReadAsync(io, context.ParseResult.GetValue(state), offered, budget.Token).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // Completion must never fail the shell: any failure to read state offers nothing.
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }

        return addresses.Where(a => a.StartsWith(typed, StringComparison.Ordinal)).Select(a => new CompletionItem(a)).ToList();
    }

    private static async Task<IReadOnlyList<string>> ReadAsync(IOContext io, string? spec, Func<ResourceAddress, bool> offered, CancellationToken cancellationToken)
    {
        // Warnings (an insecure connection, say) are the command's to print, not the completion's.
        var store = StateStoreFactory.Open(spec, io.WorkingDirectory, io.Environment, _ => { });
        try
        {
            var addresses = new List<string>();
            foreach (var company in (await store.ListCompaniesAsync(cancellationToken)).Order(StringComparer.Ordinal))
            {
                CompanyState? current;
                try
                {
                    current = await store.ReadAsync(company, cancellationToken);
                }
                catch (StateException)
                {
                    continue; // one unreadable company does not hide the others
                }

                if (current is { Tombstone: null })
                {
                    addresses.AddRange(StateHandler.Addresses(current).Where(offered).Select(a => a.ToString()));
                }
            }

            return addresses;
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
