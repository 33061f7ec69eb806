using System.CommandLine;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// <c>whcctl completion bash|zsh|fish|powershell</c>: prints a shell completion script. The script asks whcctl itself for suggestions
/// through System.CommandLine's <c>[suggest:POSITION]</c> directive, so completions always match the installed version.
/// </summary>
public static class CompletionCommand
{
    public static Command Build(IOContext io)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh, fish or powershell." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish", "powershell");
        var command = new Command(
            "completion",
            "Print a shell completion script for bash, zsh, fish or PowerShell.")
        {
            shell,
        };
        command.SetAction(parseResult =>
        {
            io.Output.Write(parseResult.GetValue(shell) switch
            {
                "zsh" => Zsh,
                "fish" => Fish,
                "powershell" => PowerShell,
                _ => Bash,
            });
            return ExitCodes.Success;
        });
        return command;
    }

    public const string Bash = """
        # whcctl bash completion: asks whcctl for suggestions with the [suggest:POSITION] directive.
        _whcctl_complete()
        {
            local IFS=$'\n'
            local line="${COMP_LINE}"
            local position="${COMP_POINT}"
            COMPREPLY=( $(compgen -W "$(whcctl "[suggest:${position}]" "${line}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _whcctl_complete whcctl

        """;

    public const string Zsh = """
        #compdef whcctl
        # whcctl zsh completion: asks whcctl for suggestions with the [suggest:POSITION] directive.
        _whcctl()
        {
            local -a suggestions
            local line="${BUFFER}"
            local position="${CURSOR}"
            suggestions=("${(@f)$(whcctl "[suggest:${position}]" "${line}" 2>/dev/null)}")
            compadd -a suggestions
        }
        compdef _whcctl whcctl

        """;

    public const string Fish = """
        # whcctl fish completion: asks whcctl for suggestions with the [suggest:POSITION] directive.
        function __whcctl_complete
            set -l line (commandline -cp)
            whcctl "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c whcctl -f -a '(__whcctl_complete)'

        """;

    public const string PowerShell = """
        # whcctl PowerShell completion: asks whcctl for suggestions with the [suggest:POSITION] directive.
        Register-ArgumentCompleter -Native -CommandName whcctl -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            whcctl "[suggest:$cursorPosition]" "$commandAst" 2>$null | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }

        """;
}
