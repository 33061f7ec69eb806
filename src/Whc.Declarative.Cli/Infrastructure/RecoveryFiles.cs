using System.Collections.Concurrent;
using System.Globalization;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine;
using Whc.Declarative.Files;
using Whc.Declarative.State;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// Keeps a state the store would not take in <c>.whc/recovery/COMPANY.serial-N.json</c> under the working directory, in
/// the state file format, so that <c>whcctl state push COMPANY FILE</c> stores it once the store works again.
/// </summary>
public sealed class RecoveryFiles(string workingDirectory, TimeProvider clock) : IUnwrittenStateKeeper
{
    public const string Directory = ".whc/recovery";

    private readonly ConcurrentQueue<string> kept = new();

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
        AtomicFile.Write(path, StateSerializer.Default.Serialize(state));
        var shown = Path.Combine(Directory, name);
        kept.Enqueue(shown);
        return shown;
    }
}
