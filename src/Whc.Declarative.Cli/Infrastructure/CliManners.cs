using System.CommandLine;
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

    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
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
        foreach (var command in root.Subcommands)
        {
            if (Examples.TryGetValue(command.Name, out var examples))
            {
                command.Description = $"{command.Description}\n\n{examples}";
            }

            if (command.Options.Any(o => o.Name == "--detailed-exitcode"))
            {
                command.Description = $"{command.Description}\n\n{ExitCodeHelp}";
            }
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
