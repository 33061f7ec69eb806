using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// Logs to the command's stderr writer (not the process console), as text or one JSON object per line, so logs never mix
/// with data on stdout and tests can read them.
/// </summary>
public sealed class TextWriterLoggerProvider : ILoggerProvider
{
    private readonly TextWriter writer;
    private readonly LogLevel minimum;
    private readonly bool json;
    private readonly Lock gate = new();

    public TextWriterLoggerProvider(TextWriter writer, LogLevel minimum, bool json)
    {
        this.writer = writer;
        this.minimum = minimum;
        this.json = json;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        string line;
        if (json)
        {
            line = JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["level"] = level.ToString().ToLowerInvariant(),
                ["category"] = category,
                ["message"] = message,
                ["error"] = exception?.Message,
            });
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
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
