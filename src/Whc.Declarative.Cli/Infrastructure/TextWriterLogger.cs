using Microsoft.Extensions.Logging;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// Logs to the command's stderr writer, as text or one JSON object per line (<see cref="StderrWriter.Log"/>: timestamp, level, category,
/// message and the message's structured fields, typed), so logs never mix with data on stdout. Microsoft.Extensions.Logging's console
/// formatters write only to the process console; whcctl's commands write to the streams they are given (tests run
/// them in-process), so this small provider stands in for them.
/// </summary>
public sealed class TextWriterLoggerProvider : ILoggerProvider
{
    private readonly StderrWriter writer;
    private readonly LogLevel minimum;

    /// <param name="writer">stderr; a plain writer is wrapped, in the text or JSON form <paramref name="json"/> names.</param>
    public TextWriterLoggerProvider(TextWriter writer, LogLevel minimum, bool json, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer is StderrWriter stderr)
        {
            this.writer = stderr;
        }
        else
        {
            this.writer = new StderrWriter(writer);
            this.writer.Configure(quiet: false, json, clock ?? TimeProvider.System);
        }

        this.minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.writer.Log(logLevel, category, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? [], exception);
            }
        }
    }
}
