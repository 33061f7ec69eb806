using System.CommandLine.Parsing;
using System.Globalization;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>Durations as people type them: <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>500ms</c>, or <c>hh:mm:ss</c>.</summary>
public static class DurationParser
{
    public static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        if (TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration; use e.g. 30s, 5m, 1h or 00:00:30");
        return TimeSpan.Zero;
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        text = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
                && n * seconds <= TimeSpan.MaxValue.TotalSeconds // also refuses Infinity and NaN, which TimeSpan cannot hold
                && !(suffix == "s" && text.EndsWith("ms", StringComparison.Ordinal)))
            {
                value = TimeSpan.FromSeconds(n * seconds);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }
}
