using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// Logs to the command's stderr writer, as text or one JSON object per line (timestamp, level, category, message and
/// the message's structured fields), so logs never mix with data on stdout. Microsoft.Extensions.Logging's console
/// formatters write only to the process console; whcctl's commands write to the streams they are given (tests run
/// them in-process), so this small provider stands in for them.
/// </summary>
public sealed class TextWriterLoggerProvider : ILoggerProvider
{
    private readonly TextWriter writer;
    private readonly LogLevel minimum;
    private readonly bool json;
    private readonly TimeProvider clock;
    private readonly Lock gate = new();

    public TextWriterLoggerProvider(TextWriter writer, LogLevel minimum, bool json, TimeProvider? clock = null)
    {
        this.writer = writer;
        this.minimum = minimum;
        this.json = json;
        this.clock = clock ?? TimeProvider.System;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, IReadOnlyList<KeyValuePair<string, object?>> fields, Exception? exception)
    {
        string line;
        if (json)
        {
            var entry = new Dictionary<string, object?>
            {
                ["timestamp"] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                ["level"] = level.ToString().ToLowerInvariant(),
                ["category"] = category,
                ["message"] = message,
            };
            var structured = fields.Where(f => f.Key != "{OriginalFormat}").ToDictionary(f => f.Key, f => f.Value is string or null ? f.Value : Convert.ToString(f.Value, CultureInfo.InvariantCulture) as object);
            if (structured.Count > 0)
            {
                entry["fields"] = structured;
            }

            if (exception is not null)
            {
                entry["error"] = exception.Message;
            }

            line = JsonSerializer.Serialize(entry);
        }
        else
        {
            var tag = level switch
            {
                LogLevel.Trace => "trace",
                LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                _ => "error",
            };
            line = string.Create(CultureInfo.InvariantCulture, $"[{tag}] {message}{(exception is null ? string.Empty : $": {exception.Message}")}");
        }

        lock (gate)
        {
            writer.WriteLine(line);
        }
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
                provider.Write(logLevel, category, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? [], exception);
            }
        }
    }
}
