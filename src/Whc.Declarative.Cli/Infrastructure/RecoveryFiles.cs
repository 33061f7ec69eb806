using System.Collections.Concurrent;
using System.Globalization;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine;
using Whc.Declarative.Files;
using Whc.Declarative.State;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// Keeps a state the store would not take in <c>.whc/recovery/COMPANY.serial-N.json</c> under the working directory, in
/// the state file format, so that <c>whcctl state push COMPANY FILE</c> stores it once the store works again. Each file
/// records the serial it was derived from (<c>parentSerial</c>), so push refuses it once another run has written since.
/// </summary>
public sealed class RecoveryFiles(string workingDirectory, TimeProvider clock) : IUnwrittenStateKeeper
{
    public const string Directory = ".whc/recovery";

    private readonly ConcurrentQueue<string> kept = new();

    // Per company, the serial and parent of the last file kept: consecutive kept serials build on each other (after a
    // failed write every later one fails too), so they share the parent, the last version the store took.
    private readonly ConcurrentDictionary<string, (long Serial, long Parent)> lastKept = new(StringComparer.Ordinal);

    /// <summary>The files kept by this run, in the order they were written.</summary>
    public IReadOnlyCollection<string> Kept => kept;

    public string Keep(CompanyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var directory = Path.Combine(workingDirectory, Directory);
        System.IO.Directory.CreateDirectory(directory);
        var name = string.Create(CultureInfo.InvariantCulture, $"{state.Company}.serial-{state.Serial}.{clock.GetUtcNow():yyyyMMddTHHmmssfffZ}.json");
        var path = Path.Combine(directory, name);
        // Written whole or not at all (a half file would be refused by state push, and lose what it should keep), never
        // through a link planted beside it.
        var parent = lastKept.TryGetValue(state.Company, out var last) && last.Serial == state.Serial - 1 ? last.Parent : state.Serial - 1;
        lastKept[state.Company] = (state.Serial, parent);
        AtomicFile.Write(path, StateSerializer.Default.Serialize(state, parent));
        var shown = Path.Combine(Directory, name);
        kept.Enqueue(shown);
        return shown;
    }
}
