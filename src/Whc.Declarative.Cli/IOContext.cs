namespace Whc.Declarative.Cli;

/// <summary>
/// The streams and environment a command talks to. stdout carries data (plans, JSON), stderr carries talk (progress,
/// logs, diagnostics). Tests run the real program in-process with <see cref="StringWriter"/>s and a fake environment.
/// </summary>
public sealed class IOContext
{
    public IOContext(TextWriter output, TextWriter error, TextReader input, IReadOnlyDictionary<string, string?> environment, string workingDirectory, bool isTerminal)
    {
        Output = output;
        // Every write to stderr goes through one writer, which --quiet and --log-format json configure.
        Error = error as Infrastructure.StderrWriter ?? new Infrastructure.StderrWriter(error);
        Input = input;
        Environment = environment;
        WorkingDirectory = workingDirectory;
        IsTerminal = isTerminal;
    }

    public TextWriter Output { get; }

    /// <summary>stderr: talk, as text or JSON lines, all of it or (--quiet) only errors.</summary>
    public Infrastructure.StderrWriter Error { get; }

    public TextReader Input { get; }

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public string WorkingDirectory { get; }

    /// <summary>True when stdout and stdin are an interactive terminal (prompts and colour are allowed).</summary>
    public bool IsTerminal { get; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public string? GetEnvironment(string name) => Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Resolves a path given on the command line against the working directory.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);

    public static IOContext FromProcess()
    {
        var environment = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal);
        var isTerminal = !Console.IsOutputRedirected && !Console.IsInputRedirected;
        return new IOContext(Console.Out, Console.Error, Console.In, environment, System.Environment.CurrentDirectory, isTerminal);
    }
}
