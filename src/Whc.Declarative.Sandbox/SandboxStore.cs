using System.Text.Json;
using Whc.Declarative.Files;

namespace Whc.Declarative.Sandbox;

/// <summary>Raised when another process already serves the data directory.</summary>
public sealed class SandboxDataDirectoryLockedException : Exception
{
    public SandboxDataDirectoryLockedException(string dataDirectory, Exception inner)
        : base($"The sandbox data directory '{dataDirectory}' is in use by another sandbox process (lock file '{SandboxStore.LockFileName}' is held). Stop that sandbox or use another --data-dir.", inner)
    {
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }
}

/// <summary>
/// Persists the sandbox inventory in a data directory: one JSON file, replaced atomically after each change (write a
/// temporary file, flush it to disk, rename over the old one: <see cref="AtomicFile"/>). Holds an exclusive lock file while open.
/// </summary>
internal sealed class SandboxStore : IDisposable
{
    public const string LockFileName = "sandbox.lock";
    public const string StateFileName = "sandbox-inventory.json";

    private readonly string _statePath;
    private readonly FileStream _lock;

    public SandboxStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _statePath = Path.Combine(dataDirectory, StateFileName);
        try
        {
            _lock = new FileStream(Path.Combine(dataDirectory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new SandboxDataDirectoryLockedException(dataDirectory, e);
        }
    }

    /// <summary>The saved inventory, or null when there is none.</summary>
    /// <exception cref="FileInputException">The inventory is not a regular file (a FIFO would hang the start) or is over its cap.</exception>
    public SandboxState? Load()
    {
        byte[] bytes;
        try
        {
            bytes = GuardedFile.ReadAllBytes(_statePath, FileInput.SandboxInventory);
        }
        catch (FileInputException e) when (e.Problem == FileInputProblem.Missing)
        {
            return null;
        }

        return JsonSerializer.Deserialize(bytes, SandboxStateJson.Default.SandboxState);
    }

    /// <summary>Replaces the inventory whole, through a temporary file of its own (never through a link planted beside it).</summary>
    public void Save(SandboxState state) =>
        AtomicFile.Write(_statePath, JsonSerializer.SerializeToUtf8Bytes(state, SandboxStateJson.Default.SandboxState), flushToDisk: true);

    public void Dispose() => _lock.Dispose();
}
