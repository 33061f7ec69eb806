using System.Text.Json;

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
/// temporary file, flush it to disk, rename over the old one). Holds an exclusive lock file while open.
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

    public SandboxState? Load()
    {
        if (!File.Exists(_statePath))
        {
            return null;
        }

        using var stream = File.OpenRead(_statePath);
        return JsonSerializer.Deserialize<SandboxState>(stream, WhcEmulator.StateJson);
    }

    public void Save(SandboxState state)
    {
        var temporary = _statePath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, state, WhcEmulator.StateJson);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _statePath, overwrite: true);
    }

    public void Dispose() => _lock.Dispose();
}
