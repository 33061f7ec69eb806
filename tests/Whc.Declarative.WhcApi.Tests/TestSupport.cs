using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>A clock the test sets by hand; delays are recorded and complete at once, so retry tests never sleep.</summary>
public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override DateTimeOffset GetUtcNow() => Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Delays.Enqueue(dueTime);
            dueTime = TimeSpan.Zero;
        }

        return System.CreateTimer(callback, state, dueTime, period);
    }
}

/// <summary>Captures every log line (formatted message and structured values) at every level.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string All => string.Join("\n", Lines);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            owner.Lines.Enqueue($"{logLevel}: {formatter(state, exception)} | {values} | {exception}");
        }
    }
}

public static class Json
{
    /// <summary>Asserts two JSON texts are the same document (property order ignored, array order kept).</summary>
    public static void ShouldBeJson(this string actual, string expected)
    {
        var same = JsonNode.DeepEquals(JsonNode.Parse(actual), JsonNode.Parse(expected));
        same.Should().BeTrue($"the body should be\n{JsonNode.Parse(expected)}\nbut was\n{JsonNode.Parse(actual)}");
    }
}
