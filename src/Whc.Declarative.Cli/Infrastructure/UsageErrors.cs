using System.CommandLine;
using System.CommandLine.Parsing;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// What is wrong with a command line, one diagnostic per mistake, worded the way terraform and kubectl word theirs:
/// a mistyped command or option names the closest ones ("did you mean 'plan'?"), a switch given a value that is not
/// a boolean says which values it takes, and System.CommandLine's own findings pass through for the rest. Its typo
/// corrections print several free-text lines of their own, so the closeness is measured here and worded by the
/// catalogue.
/// </summary>
public static class UsageErrors
{
    /// <summary>One mistake: its diagnostic, and whether it already names what the user likely meant.</summary>
    public sealed record Problem(Diagnostic Diagnostic, bool Suggests);

    public static IReadOnlyList<Problem> Of(ParseResult parseResult, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(args);
        if (parseResult.Tokens.Any(t => t.Type == TokenType.Directive))
        {
            // A directive ([suggest:N], as the completion scripts send) reads the rest of the line as its input.
            return [.. parseResult.Errors.Select(e => new Problem(DiagnosticCatalog.UsageInvalid.At(SourceSpan.None, e.Message), false))];
        }

        var commandResult = parseResult.CommandResult;
        var command = commandResult.Command;
        var path = CommandPath(commandResult);
        var options = OptionsOf(commandResult);
        var problems = new List<Problem>();
        var worded = new HashSet<string>(StringComparer.Ordinal);
        var unknownCommand = false;

        // A switch written with a value: System.CommandLine leaves a value that is not a boolean to be read as an
        // argument (a PATH), so `--refresh=maybe` would plan a folder called "maybe".
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            var split = arg.StartsWith('-') ? arg.IndexOfAny([':', '=']) : -1;
            if (split > 0 && options.FirstOrDefault(o => Names(o).Contains(arg[..split])) is { } option
                && option.ValueType == typeof(bool) && option.Arity.MaximumNumberOfValues > 0 && !bool.TryParse(arg[(split + 1)..], out _))
            {
                var value = arg[(split + 1)..];
                problems.Add(new(DiagnosticCatalog.UsageBoolValue.At(SourceSpan.None, option.Name, value), true));
                worded.Add(value);
            }
        }

        // Tokens that look like options but were taken for arguments, or that nothing took.
        var strays = commandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value).Where(v => v.Length > 1 && v[0] == '-')
            .Concat(parseResult.UnmatchedTokens).ToList();
        for (var i = 0; i < strays.Count; i++)
        {
            var token = strays[i];
            if (!worded.Add(token))
            {
                continue;
            }

            if (token.Length > 1 && token[0] == '-')
            {
                var name = token.Split('=', ':')[0];
                var closest = Closest(name, options.Where(o => !o.Hidden).SelectMany(Names));
                problems.Add(new(DiagnosticCatalog.UsageUnknownOption.At(SourceSpan.None, token, path, closest), closest.Count > 0));

                // The word after an unknown option was most likely its value: one mistake, one line.
                var at = IndexOf(args, token);
                if (at >= 0 && at + 1 < args.Count && !args[at + 1].StartsWith('-'))
                {
                    worded.Add(args[at + 1]);
                }
            }
            else if (command.Subcommands.Count > 0)
            {
                var closest = Closest(token, command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name)));
                problems.Add(new(DiagnosticCatalog.UsageUnknownCommand.At(SourceSpan.None, token, path, closest), closest.Count > 0));
                unknownCommand = true;

                // What follows a mistyped command was meant for it: one mistake, one line.
                worded.UnionWith(strays.Skip(i + 1));
                break;
            }
            else
            {
                problems.Add(new(DiagnosticCatalog.UsageUnexpectedArgument.At(SourceSpan.None, token, path), false));
            }
        }

        foreach (var error in parseResult.Errors)
        {
            // Findings already worded above ("Unrecognized command or argument 'x'", our own unknown-option check),
            // and "Required command was not provided" next to the command that was mistyped.
            var about = worded.Any(w => error.Message.Contains($"'{w}'", StringComparison.Ordinal));
            var needsCommand = error.SymbolResult is CommandResult { Command: { Subcommands.Count: > 0, Action: null } } group ? group : null;
            if (about || (unknownCommand && needsCommand is not null))
            {
                continue;
            }

            if (needsCommand is not null)
            {
                var names = needsCommand.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
                problems.Add(new(DiagnosticCatalog.UsageMissingCommand.At(SourceSpan.None, CommandPath(needsCommand), names), false));
            }
            else
            {
                problems.Add(new(DiagnosticCatalog.UsageInvalid.At(SourceSpan.None, error.Message), false));
            }
        }

        return problems;
    }

    /// <summary>"whcctl state list" for the command a parse stopped at (the root's own name is the executable's).</summary>
    public static string CommandPath(CommandResult command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult { Parent: not null } named; result = named.Parent)
        {
            names.Insert(0, named.Command.Name);
        }

        return string.Join(' ', names.Prepend("whcctl"));
    }

    /// <summary>
    /// The candidates closest to what was typed: within two edits (one for short words; a swap of neighbours is one
    /// edit, so 'plna' finds 'plan'), or that start with it (none for a single letter); the nearest first, at most three, in ordinal order.
    /// </summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var word = typed.TrimStart('-');
        if (word.Length < 2)
        {
            return []; // '-x' is as close to '-h' as to '-q': no guess is better than a wrong one
        }

        var limit = word.Length <= 3 ? 1 : 2;
        var scored = candidates.Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(typed.ToUpperInvariant(), c.ToUpperInvariant())))
            .Where(c => c.Distance <= limit || (word.Length >= 3 && c.Name.TrimStart('-').StartsWith(word, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (scored.Count == 0)
        {
            return [];
        }

        var best = scored.Min(c => c.Distance);
        return [.. scored.Where(c => c.Distance == best).Select(c => c.Name).Order(StringComparer.Ordinal).Take(3)];
    }

    /// <summary>Edits from one word to the other: insert, delete, replace, or swap two neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>The options a token at this command can name: its own, and its ancestors' recursive ones.</summary>
    private static List<Option> OptionsOf(CommandResult commandResult)
    {
        var options = new List<Option>(commandResult.Command.Options);
        for (var parent = commandResult.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            options.AddRange(parent.Command.Options.Where(o => o.Recursive));
        }

        return options;
    }

    private static IEnumerable<string> Names(Option option) => option.Aliases.Prepend(option.Name);

    private static int IndexOf(IReadOnlyList<string> args, string token)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == token)
            {
                return i;
            }
        }

        return -1;
    }
}
