using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;

namespace Whc.Declarative.Cli.Infrastructure;

public enum OutputFormat
{
    Text,
    Json,
    Markdown,

    /// <summary>GitHub Actions workflow commands: each diagnostic an annotation on its file and line.</summary>
    Github,
}

/// <summary>Options shared by the commands that talk to BT or state; each command adds the ones it uses.</summary>
public static class CommonOptions
{
    public static Option<string?> Endpoint() => new("--endpoint")
    {
        Description = "WHC API endpoint: sandbox (embedded, the default), testa, production, or a URL. Env: WHC_ENDPOINT.",
    };

    /// <summary><c>--allow-origin URL</c>, repeatable: an origin besides the endpoint's that calls may go to.</summary>
    public static Option<string[]> AllowOrigin() => new("--allow-origin")
    {
        Description = "Also send calls to this origin (https://host[:port]), e.g. BT's separate address host; repeatable. A contract route on any other origin is refused. Env: WHC_ALLOW_ORIGINS (comma or space separated).",
        HelpName = "URL",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> State() => new("--state")
    {
        Description = "State store: a directory (default .whc/state) or postgres://user@host:port/db?schema=whc. Env: WHC_STATE.",
    };

    public static Option<string?> Record() => new("--record")
    {
        Description = "Write every HTTP exchange with the WHC API (token calls and retries included) to FILE as HAR 1.2, credentials and tokens redacted; written even when the command fails. Replay it with 'whcctl sandbox replay FILE'.",
    };

    /// <summary>
    /// <c>--format</c> with the values a command takes, shown and typed in lower case (any case is accepted); the first
    /// is the default.
    /// </summary>
    public static Option<OutputFormat> Format(params OutputFormat[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var names = string.Join(", ", allowed.Select(a => a.ToString().ToLowerInvariant()));
        var first = allowed[0];
        return new Option<OutputFormat>("--format")
        {
            Description = $"Output format: {names} (default: {first.ToString().ToLowerInvariant()}).",
            HelpName = string.Join('|', allowed.Select(a => a.ToString().ToLowerInvariant())),
            // No DefaultValueFactory: help would print the enum's own name ("Text") as the default. Unset, the value is
            // default(OutputFormat), text; a command without text reads that as its first format.
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
                foreach (var format in allowed.Where(a => string.Equals(a.ToString(), text, StringComparison.OrdinalIgnoreCase)))
                {
                    return format;
                }

                result.AddError($"--format '{text}' is not supported here; use one of: {names}");
                return OutputFormat.Text;
            },
        };
    }

    /// <summary>Refuses a value below <paramref name="minimum"/> (a parallelism or an order size of 0 would never finish).</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (TryGetValue<int>(result, out var value) && value < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum} (got {result.Tokens[^1].Value})");
            }
        });
        return option;
    }

    /// <summary>
    /// A validator's way to read its option's value: System.CommandLine throws on a token that did not convert (its
    /// error is reported already), and an option left at its default needs no check.
    /// </summary>
    public static bool TryGetValue<T>(OptionResult result, out T value)
    {
        ArgumentNullException.ThrowIfNull(result);
        value = default!;
        if (result.Tokens.Count == 0)
        {
            return false;
        }

        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static Option<bool> NoColor() => new("--no-color") { Description = "Never colour the output (NO_COLOR is honoured too)." };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log every API call (with its tracking id) to stderr." };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Only errors on stderr." };

    public static Option<string> LogFormat()
    {
        var option = new Option<string>("--log-format") { Description = "Everything on stderr (logs, diagnostics, progress) as text or json (one object per line).", DefaultValueFactory = _ => "text", HelpName = "text|json" };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    public static Option<int> Parallelism() =>
        new Option<int>("--parallelism") { Description = "How many API requests may be in flight at BT at once, across all companies.", DefaultValueFactory = _ => 8 }.AtLeast(1);

    public static Option<int?> MaxDestroy()
    {
        var option = new Option<int?>("--max-destroy") { Description = "Fail when the plan would cease more than N resources at BT (0: none at all)." };
        option.Validators.Add(result =>
        {
            if (TryGetValue<int?>(result, out var value) && value < 0)
            {
                result.AddError($"--max-destroy must be 0 or more (got {result.Tokens[^1].Value})");
            }
        });
        return option;
    }

    public static Option<TimeSpan> LockTimeout() => new("--lock-timeout")
    {
        Description = "How long to wait for a company's state lock, e.g. 30s or 00:00:30 (default: do not wait).",
        DefaultValueFactory = _ => TimeSpan.Zero,
        CustomParser = result => DurationParser.Parse(result),
    };

    public static LogLevel LogLevelFor(bool verbose, bool quiet) => verbose ? LogLevel.Information : quiet ? LogLevel.Error : LogLevel.Warning;
}
