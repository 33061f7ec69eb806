using System.Diagnostics;

namespace Whc.Declarative.Cli.Tests.Support;

/// <summary>
/// Which whcctl the child-process tests start: the executable named by <c>WHC_CLI_EXECUTABLE</c> (CI sets it to the
/// native AOT publish, issue 28 item 3), else the build's own <c>dotnet whcctl.dll</c>. Every test that runs whcctl as a
/// process starts it through here, so one variable switches them all.
/// </summary>
public static class CliExecutable
{
    public const string Variable = "WHC_CLI_EXECUTABLE";

    /// <summary>
    /// The xunit trait (<c>Category</c>) of the end-to-end stories CI runs again against the native executable:
    /// <c>dotnet test --filter Category=CliStory</c> with WHC_CLI_EXECUTABLE set (.ci/run).
    /// </summary>
    public const string StoryCategory = "CliStory";

    /// <summary>The configured executable's full path, or null for <c>dotnet whcctl.dll</c>.</summary>
    public static string? Configured { get; } = FindConfigured();

    /// <summary>What the tests run, in words, for failure messages and test output.</summary>
    public static string Description => Configured ?? "dotnet " + Path.Combine(AppContext.BaseDirectory, "whcctl.dll");

    /// <summary>The program to start: the configured executable, or <c>dotnet</c>.</summary>
    public static string FileName => Configured ?? "dotnet";

    /// <summary>The arguments for <see cref="FileName"/>: <paramref name="args"/>, after <c>whcctl.dll</c> for <c>dotnet</c>.</summary>
    public static string[] Arguments(IEnumerable<string> args) =>
        Configured is null ? [Path.Combine(AppContext.BaseDirectory, "whcctl.dll"), .. args] : [.. args];

    /// <summary>A start of whcctl with <paramref name="args"/>, output redirected, not yet started.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(FileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in Arguments(args))
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static string? FindConfigured()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        // A variable that names nothing must fail every test, never quietly fall back to the JIT build.
        var path = Path.GetFullPath(value);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{Variable}={value} names no file");
    }
}
