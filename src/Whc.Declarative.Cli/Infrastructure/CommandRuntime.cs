using System.CommandLine;
using Microsoft.Extensions.Logging;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Text;
using Whc.Declarative.State;
using Whc.Declarative.WhcApi;
using Whc.Declarative.WhcApi.Recording;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// What a command that talks to BT and state needs, built from its options: logging to stderr, the state store, the
/// API connection. Also the one place that turns expected failures into diagnostics (never a stack trace).
/// </summary>
public sealed class CommandRuntime : IAsyncDisposable
{
    private readonly IOContext io;
    private WhcConnection? connection;
    private IStateStore? store;
    private (WhcRecorder Recorder, string Path, string Given)? recording;

    // Made when first asked for: only a connection logs, and building a logger factory (its dependency-injection
    // container) is a measurable part of a native plan that never connects (issue 28).
    private readonly Lazy<ILoggerFactory> loggers;

    public CommandRuntime(IOContext io, Func<ILoggerFactory> loggers, bool color)
    {
        this.io = io;
        this.loggers = new Lazy<ILoggerFactory>(loggers);
        Color = color;
    }

    public ILoggerFactory Loggers => loggers.Value;

    public bool Color { get; }

    /// <summary><c>--quiet</c>: only errors on stderr.</summary>
    public bool Quiet { get; init; }

    /// <summary><c>--allow-origin</c> values, for the connection (empty: WHC_ALLOW_ORIGINS decides).</summary>
    public IReadOnlyList<string> AllowOrigins { get; init; } = [];

    public WhcConnection? Connection => connection;

    public static CommandRuntime Create(IOContext io, ParseResult parseResult, RuntimeOptions options)
    {
        var verbose = parseResult.GetValue(options.Verbose);
        var quiet = parseResult.GetValue(options.Quiet);
        var json = parseResult.GetValue(options.LogFormat) == "json";
        ILoggerFactory CreateLoggers() => LoggerFactory.Create(builder =>
        {
            builder.ClearProviders();
            builder.SetMinimumLevel(CommonOptions.LogLevelFor(verbose, quiet));
            builder.AddProvider(new TextWriterLoggerProvider(io.Error, CommonOptions.LogLevelFor(verbose, quiet), json, io.Clock));
        });
        // A dumb terminal (TERM=dumb: Emacs shells, some CI runners) shows escape codes as text.
        var color = io.IsTerminal && !parseResult.GetValue(options.NoColor) && io.GetEnvironment("NO_COLOR") is null && io.GetEnvironment("TERM") != "dumb";
        var allowOrigins = options.AllowOrigin is { } allow ? parseResult.GetValue(allow) ?? [] : [];
        // The command's --parallelism (apply, plan, import have one) sizes the PostgreSQL pool: requests in flight,
        // not companies, need connections.
        var parallelism = parseResult.CommandResult.Command.Options.OfType<Option<int>>().FirstOrDefault(option => option.Name == "--parallelism") is { } given
            ? parseResult.GetValue(given)
            : (int?)null;
        return new CommandRuntime(io, CreateLoggers, color) { Quiet = quiet, AllowOrigins = allowOrigins, Parallelism = parallelism, SandboxWait = SandboxWaitOf(parseResult) };
    }

    /// <summary>The command's <c>--lock-timeout</c>, which also bounds the wait for the embedded sandbox; null when it has none.</summary>
    private static SandboxWait? SandboxWaitOf(ParseResult parseResult)
    {
        if (parseResult.CommandResult.Command.Options.OfType<Option<TimeSpan>>().FirstOrDefault(option => option.Name == "--lock-timeout") is not { } lockTimeout)
        {
            return null;
        }

        var given = parseResult.GetResult(lockTimeout) is { Implicit: false } result && result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        var timeout = parseResult.GetValue(lockTimeout);
        return new SandboxWait(timeout, given ?? timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The command's <c>--lock-timeout</c>, for the wait for the embedded sandbox; null when it has none.</summary>
    public SandboxWait? SandboxWait { get; init; }

    /// <summary>The command's <c>--parallelism</c>, when it has one; sizes the state store's connection pool.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Opens the state store once per command; it is closed (connections released) when the command ends.</summary>
    public IStateStore OpenStateStore(string? spec) =>
        store ??= StateStoreFactory.Open(spec, io.WorkingDirectory, io.Environment, warning => io.Error.Write(warning), PostgresStoreOptions.ForParallelism(Parallelism));

    public async Task<IWhcApi> ConnectAsync(string? endpoint, WireFiles wire, double? requestsPerSecond, CancellationToken cancellationToken)
    {
        connection ??= await WhcConnection.OpenAsync(io, endpoint, wire, Loggers, requestsPerSecond, recording?.Recorder, AllowOrigins, SandboxWait, cancellationToken);
        return connection.Api;
    }

    /// <summary>
    /// <c>--record FILE</c>: records every HTTP exchange of the connection (call before connecting); the file is
    /// written when the command body ends, however it ends. A path that cannot be written is reported here (WHC4030),
    /// before anything is sent, and yields false. No path: nothing is recorded, true.
    /// </summary>
    public bool StartRecording(string? path)
    {
        if (path is null)
        {
            return true;
        }

        string full;
        try
        {
            full = io.ResolvePath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            io.Error.Write(DiagnosticCatalog.RecordingNotAPath.At(SourceSpan.None, path, e.Message));
            return false;
        }

        if (WhcRecorder.ProblemWriting(full) is { } problem)
        {
            io.Error.Write(DiagnosticCatalog.RecordingCannotWrite.At(SourceSpan.None, problem.Replace(full, path, StringComparison.Ordinal)));
            return false;
        }

        recording = (new WhcRecorder(), full, path);
        return true;
    }

    /// <summary>
    /// Runs a command body; expected failures become one diagnostic line on stderr and exit code 1. A recording
    /// (<see cref="StartRecording"/>) is written afterwards, whatever the outcome; failing to write it is WHC4030 and exit 1.
    /// </summary>
    public async Task<int> GuardAsync(Func<Task<int>> body)
    {
        int code;
        try
        {
            code = await Guard(io, body);
        }
        catch
        {
            // A bug: it is reported as such elsewhere; what was recorded up to it is still worth having.
            SaveRecording();
            throw;
        }

        return SaveRecording() ? code : ExitCodes.Error;
    }

    private bool SaveRecording()
    {
        if (recording is not { } active)
        {
            return true;
        }

        try
        {
            active.Recorder.Save(active.Path, "whcctl", VersionInfo.Version);
            if (!Quiet)
            {
                io.Error.WriteLine($"Recorded {Counted.Of(active.Recorder.Entries.Count, "HTTP exchange")} with the WHC API to {active.Given} (credentials and tokens redacted).");
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error.Write(DiagnosticCatalog.RecordingWriteFailed.At(SourceSpan.None, active.Given, e.Message));
            return false;
        }
    }

    /// <summary>
    /// The one place expected failures (BT, configuration, state, a saved plan, a file, a cancellation) become a
    /// diagnostic line on stderr and exit code 1, for every command; anything else is a bug and is not caught.
    /// </summary>
    public static async Task<int> Guard(IOContext io, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (WhcConfigurationException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                io.Error.Write(diagnostic);
            }

            return ExitCodes.Error;
        }
        catch (Exception e) when (DiagnosticOf(e) is { } diagnostic)
        {
            io.Error.Write(diagnostic);
            return ExitCodes.Error;
        }
    }

    private static Diagnostic? DiagnosticOf(Exception exception) => exception switch
    {
        WhcApiException e => e.ToDiagnostic(),
        StateException e => new Diagnostic(e.Code, DiagnosticSeverity.Error, SourceSpan.None, e.Message),
        // The refusal, the I/O error and the database's error are passed on in their own words (data, not ours to word).
        Engine.Operations.PlanFileException e => e.Refusal ?? e.Descriptor.At(SourceSpan.None, e.Message),
        OperationCanceledException => DiagnosticCatalog.ApplyCancelledByUser.At(SourceSpan.None),
        IOException or UnauthorizedAccessException => DiagnosticCatalog.LocalFileFailed.At(SourceSpan.None, exception.Message),
        System.Data.Common.DbException => DiagnosticCatalog.StateError.At(SourceSpan.None, exception.Message),
        _ => null,
    };

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        if (loggers.IsValueCreated)
        {
            loggers.Value.Dispose();
        }
    }
}

/// <summary>The logging and colour options every command of this kind carries.</summary>
public sealed class RuntimeOptions
{
    public Option<bool> NoColor { get; } = CommonOptions.NoColor();

    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    public Option<bool> Quiet { get; } = CommonOptions.Quiet();

    public Option<string> LogFormat { get; } = CommonOptions.LogFormat();

    /// <summary><c>--allow-origin</c>, for the commands that talk to BT (set by them; null elsewhere).</summary>
    public Option<string[]>? AllowOrigin { get; init; }

    public void AddTo(Command command)
    {
        if (AllowOrigin is not null)
        {
            command.Options.Add(AllowOrigin);
        }

        command.Options.Add(NoColor);
        command.Options.Add(Verbose);
        command.Options.Add(Quiet);
        command.Options.Add(LogFormat);
    }
}
