using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// Finishing touches on the command tree: <c>--version</c> prints the version and the commit, and every command's help
/// ends with examples and the exit codes.
/// </summary>
public static class CliManners
{
    public const string ExitCodeHelp = """
        Exit codes:
          0  success (with --detailed-exitcode: no changes)
          1  error: invalid manifests, failed API call, stale or refused plan, lock not obtained
          2  with --detailed-exitcode: success, and there are changes (or drift)
        """;

    /// <summary>
    /// Examples by command path ("" is whcctl itself, "state show" a subcommand). Every command has an entry
    /// (HelpExamplesTests walks the tree), and every example line must parse as written.
    /// </summary>
    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        [""] = """
            Examples:
              whcctl validate companies/
              whcctl plan companies/ --detailed-exitcode
              whcctl apply companies/
              whcctl plan --help
            """,
        ["validate"] = """
            Examples:
              whcctl validate                       # every *.yaml under the current directory
              whcctl validate companies/ --format json
            """,
        ["plan"] = """
            Examples:
              whcctl plan companies/
              whcctl plan companies/ --format markdown --out plan.json --detailed-exitcode   # a pull request check
              whcctl plan companies/ --refresh-only --detailed-exitcode                       # drift check: 2 = drift
              whcctl plan companies/ --format json | jq -r '.changed_companies[]'
              whcctl plan companies/ --target fun-network/user/jane.smith
            """,
        ["apply"] = """
            Examples:
              whcctl apply companies/                 # plan, show, ask, apply
              whcctl apply plan.json                  # apply a reviewed saved plan exactly (refused when stale)
              whcctl apply companies/ --auto-approve --format json
            """,
        ["destroy"] = """
            Examples:
              whcctl destroy fun-network
              whcctl destroy fun-network --auto-approve
            """,
        ["import"] = """
            Examples:
              whcctl import fun-network --cug CUG5019851064 --name TheFunNetwork --billing-account GB12345678
              whcctl import fun-network --cug CUG5019851064 --name TheFunNetwork --billing-account GB12345678 \
                --write-manifest companies/fun-network/company.yaml
            """,
        ["completion"] = """
            Examples:
              source <(whcctl completion bash)                  # bash, this shell only
              whcctl completion bash > ~/.local/share/bash-completion/completions/whcctl
              whcctl completion zsh > "${fpath[1]}/_whcctl"      # zsh (then: autoload -U compinit && compinit)
              whcctl completion fish > ~/.config/fish/completions/whcctl.fish
              whcctl completion powershell >> $PROFILE           # PowerShell
            """,
        ["doctor"] = """
            Examples:
              whcctl doctor --endpoint testa --cug CUG5019851064
              whcctl doctor --endpoint testa --cug CUG5019851064 --record doctor-testa.har
            """,
        ["show"] = """
            Examples:
              whcctl show                                 # every resource in state
              whcctl show plan.json                       # a plan saved with 'whcctl plan --out plan.json'
              whcctl show plan.json --format markdown
              whcctl show --format json                   # the state as Terraform's state JSON
            """,
        ["contract"] = """
            Examples:
              whcctl contract show
              whcctl contract show --contract my-contract.json --format markdown
            """,
        ["contract show"] = """
            Examples:
              whcctl contract show > contract.json        # edit it, then pass it back with --contract contract.json
              whcctl contract show --routes routes.json --format markdown
            """,
        ["force-unlock"] = """
            Examples:
              whcctl force-unlock fun-network 3f2c9a7e    # the lock id the 'locked by' error names
              whcctl force-unlock fun-network 3f2c9a7e --state postgres://whcctl_apply@db.example.net:5432/whc
            """,
        ["sandbox"] = """
            Examples:
              whcctl sandbox serve --port 8443
              whcctl sandbox replay first-apply-testa.har
            """,
        ["sandbox serve"] = """
            Examples:
              whcctl sandbox serve                        # a free port, data in memory
              whcctl sandbox serve --port 8443 --data-dir .whc/served
              whcctl sandbox serve --client ci:s3cret:CUG5019851064   # a client bound to one CUG
            """,
        ["sandbox replay"] = """
            Examples:
              whcctl sandbox replay first-apply-testa.har
              whcctl sandbox replay first-apply-testa.har --format json
            """,
        ["state"] = """
            Examples:
              whcctl state list
              whcctl state show fun-network/user/jane.smith
              whcctl state history fun-network
            """,
        ["state list"] = """
            Examples:
              whcctl state list
              whcctl state list --state postgres://whcctl_plan@db.example.net:5432/whc
            """,
        ["state show"] = """
            Examples:
              whcctl state show fun-network
              whcctl state show fun-network/site/ipswich-hq --format json
            """,
        ["state rm"] = """
            Examples:
              whcctl state rm fun-network/user/jane.smith   # forget the user; BT keeps it
              whcctl state rm fun-network                   # forget the whole company (import adopts it again)
            """,
        ["state mv"] = """
            Examples:
              whcctl state mv fun-network/site/ipswich-hq fun-network/site/ipswich-main
              whcctl state mv fun-network/number-block/brum fun-network/number-block/birmingham
            """,
        ["state history"] = """
            Examples:
              whcctl state history fun-network
              whcctl state history fun-network --format json
            """,
        ["state rollback"] = """
            Examples:
              whcctl state history fun-network            # find the serial to go back to
              whcctl state rollback fun-network 7
            """,
        ["state pull"] = """
            Examples:
              whcctl state pull fun-network > fun-network.state.json
            """,
        ["state push"] = """
            Examples:
              whcctl state push fun-network fun-network.state.json
              whcctl state push fun-network old.state.json --force   # even one that does not descend from the current
            """,
        ["state migrate"] = """
            Examples:
              whcctl state migrate --from .whc/state --to postgres://whcctl_apply@db.example.net:5432/whc
            """,
        ["state rebind"] = """
            Examples:
              whcctl state rebind fun-network --endpoint testa
              whcctl state rebind fun-network --endpoint https://api.example.net
            """,
        ["graph"] = """
            Examples:
              whcctl graph companies/ > plan.mmd && mmdc -i plan.mmd -o plan.svg
              whcctl graph companies/ --fence >> "$GITHUB_STEP_SUMMARY"
            """,
    };

    public static void Apply(RootCommand root, IOContext io)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new VersionAction(io);
        }

        root.Description = $"{root.Description}\n\n{ExitCodeHelp}";
        RefuseUnknownOptions(root);
        TalkOptions(root);
        NamePlaceholders(root);
        foreach (var option in root.Options.OfType<HelpOption>())
        {
            option.Action = new HelpWithExamplesAction(option.Action);
        }
    }

    /// <summary>
    /// <c>-q</c> and <c>--log-format</c> on every command, also those that only read and write files (validate,
    /// state, ...): a pipeline passes the same flags to each, and every line any command writes to stderr obeys them
    /// (<see cref="StderrWriter"/>).
    /// </summary>
    private static void TalkOptions(Command command)
    {
        if (command is not RootCommand && command.Action is not null)
        {
            if (!command.Options.Any(o => o.Name == "--quiet"))
            {
                command.Options.Add(CommonOptions.Quiet());
            }

            if (!command.Options.Any(o => o.Name == "--log-format"))
            {
                command.Options.Add(CommonOptions.LogFormat());
            }
        }

        foreach (var subcommand in command.Subcommands)
        {
            TalkOptions(subcommand);
        }
    }

    /// <summary>
    /// What each option takes, as help shows it: a real placeholder (<c>--out FILE</c>, <c>--parallelism N</c>,
    /// <c>--lock-timeout DURATION</c>) rather than the option's own name again, and the values of a choice as they are
    /// typed, in lower case (<c>--format text|json</c>; <see cref="CommonOptions.Format"/> names them).
    /// </summary>
    private static void NamePlaceholders(Command command)
    {
        foreach (var option in command.Options.Where(o => o.HelpName is null && o.ValueType != typeof(bool) && o.Arity.MaximumNumberOfValues > 0 && o is not HelpOption and not VersionOption))
        {
            option.HelpName = option.Name switch
            {
                "--out" or "--record" or "--contract" or "--routes" or "--write-manifest" => "FILE",
                "--data-dir" or "--write-manifests" => "DIR",
                "--state" => "DIR|URL",
                "--endpoint" => "sandbox|testa|production|URL",
                "--target" => "ADDRESS",
                "--cug" => "CUG",
                "--billing-account" => "ACCOUNT",
                "--client" => "ID:SECRET[:CUG,...]",
                _ when option.ValueType == typeof(int) || option.ValueType == typeof(int?) => "N",
                _ when option.ValueType == typeof(double?) => "N",
                _ when option.ValueType == typeof(TimeSpan) => "DURATION",
                _ => option.Name.TrimStart('-').ToUpperInvariant(),
            };
        }

        foreach (var subcommand in command.Subcommands)
        {
            NamePlaceholders(subcommand);
        }
    }

    /// <summary>
    /// A token like <c>--bogus</c> that names no option would otherwise be taken for a PATH or COMPANY argument and
    /// fail later as "no such file" (or, worse, name a file). Every argument of every command refuses it; a path that
    /// really starts with '-' is written <c>./-name</c>.
    /// </summary>
    private static void RefuseUnknownOptions(Command command)
    {
        foreach (var argument in command.Arguments)
        {
            argument.Validators.Add(result =>
            {
                foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
                {
                    var closest = UsageErrors.Closest(token.Value.Split('=', ':')[0], command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)));
                    result.AddError(Core.Diagnostics.DiagnosticCatalog.UsageUnknownOption.Message(token.Value, command.Name, closest));
                }
            });
        }

        foreach (var subcommand in command.Subcommands)
        {
            RefuseUnknownOptions(subcommand);
        }
    }

    /// <summary>
    /// The help of one command, followed by its examples (and the exit codes where --detailed-exitcode changes them).
    /// They are added here rather than to the description so the root's list of commands stays one line each.
    /// </summary>
    private sealed class HelpWithExamplesAction(CommandLineAction? standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exitCode = standard is SynchronousCommandLineAction help ? help.Invoke(parseResult) : ExitCodes.Success;
            var command = parseResult.CommandResult.Command;
            var output = parseResult.InvocationConfiguration.Output;
            if (command.Options.Any(o => o.Name == "--detailed-exitcode"))
            {
                output.WriteLine(ExitCodeHelp);
                output.WriteLine();
            }

            // The examples come last, as in gh and kubectl: the end of the help is where a reader looks for them.
            if (Examples.TryGetValue(UsageErrors.CommandPath(parseResult.CommandResult)["whcctl".Length..].TrimStart(), out var examples))
            {
                output.WriteLine(examples);
            }

            return exitCode;
        }
    }

    /// <summary>The text of <c>whcctl --version</c>: <c>whcctl 0.1.0 (commit abc1234)</c>.</summary>
    public static string VersionLine => $"whcctl {VersionInfo.Version} (commit {VersionInfo.Commit})";

    private sealed class VersionAction(IOContext io) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            io.Output.WriteLine(VersionLine);
            return ExitCodes.Success;
        }
    }
}
