using System.CommandLine;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// <c>whcctl completion bash|zsh</c>: prints a shell completion script. The script asks whcctl itself for suggestions
/// through System.CommandLine's <c>[suggest:POSITION]</c> directive, so completions always match the installed version.
/// </summary>
public static class CompletionCommand
{
    public static Command Build(IOContext io)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command(
            "completion",
            "Print a shell completion script for bash or zsh.")
        {
            shell,
        };
        command.SetAction(parseResult =>
        {
            io.Output.Write(parseResult.GetValue(shell) == "zsh" ? Zsh : Bash);
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
}
