namespace Whc.Declarative.Files;

/// <summary>
/// A kind of file whcctl reads on a user's word, and the most of it that is read. The caps are far above any real file
/// of the kind and far below what would hurt: a file over its cap is refused, whatever size the file system reports.
/// </summary>
public sealed record FileInput(string What, long MaxBytes)
{
    private const long MiB = 1024 * 1024;

    /// <summary><c>--contract</c> / WHC_CONTRACT: a few KiB of JSON.</summary>
    public static FileInput Contract { get; } = new("contract file", 1 * MiB);

    /// <summary><c>--routes</c> / WHC_ROUTES: a few hundred bytes of JSON.</summary>
    public static FileInput Routes { get; } = new("routes file", 1 * MiB);

    /// <summary><c>plan --out</c>'s file, read by <c>show</c> and <c>apply</c>: every company's manifest and plan.</summary>
    public static FileInput PlanFile { get; } = new("saved plan", 64 * MiB);

    /// <summary>A <c>--record</c> HAR file, read by <c>sandbox replay</c>. Held as text and parsed, so bounded lower than a plan's multiple.</summary>
    public static FileInput Recording { get; } = new("recording", 128 * MiB);

    /// <summary>A company's state file (<c>state push</c>, the local store).</summary>
    public static FileInput StateFile { get; } = new("state file", 64 * MiB);

    /// <summary>The sandbox's inventory in its <c>--data-dir</c>: every company it emulates.</summary>
    public static FileInput SandboxInventory { get; } = new("sandbox inventory", 256 * MiB);

    /// <summary>A state lock file: one JSON line naming its holder.</summary>
    public static FileInput LockFile { get; } = new("lock file", 64 * 1024);

    /// <summary>Shown in a refusal: "1 MiB", "64 MiB".</summary>
    public string Cap => MaxBytes % MiB == 0
        ? $"{MaxBytes / MiB} MiB"
        : $"{MaxBytes / 1024} KiB";
}

/// <summary>Why a file input was refused.</summary>
public enum FileInputProblem
{
    Unreadable,
    Missing,
    NotRegular,
    TooLarge,
    NotText,
}

/// <summary>
/// A file input refused before or while reading it: not there, not a regular file, over its cap, unreadable, not UTF-8.
/// An <see cref="IOException"/>, so a caller that reports I/O failures reports this too; <see cref="Reason"/> is the
/// refusal without the file name, for callers that name the file themselves (a diagnostic's span).
/// </summary>
public sealed class FileInputException : IOException
{
    public FileInputException(string shownPath, string reason, FileInputProblem problem)
        : base($"{shownPath}: {reason}")
    {
        ShownPath = shownPath;
        Reason = reason;
        Problem = problem;
    }

    public FileInputException()
        : this(string.Empty, "the file cannot be read", FileInputProblem.Unreadable)
    {
    }

    public FileInputException(string message)
        : this(string.Empty, message, FileInputProblem.Unreadable)
    {
    }

    public FileInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        ShownPath = string.Empty;
        Reason = message;
    }

    /// <summary>The file as the user named it.</summary>
    public string ShownPath { get; }

    public FileInputProblem Problem { get; }

    /// <summary>Why it was refused, without the file name: "this is a FIFO (named pipe), not a regular file; ...".</summary>
    public string Reason { get; }
}
