using System.Text.RegularExpressions;

namespace Whc.Declarative.Cli.Tests.Support;

/// <summary>
/// Compares rendered output with a checked-in file under tests/Whc.Declarative.Cli.Tests/Baselines/. After an
/// intended change, regenerate them with <c>WHC_UPDATE_BASELINES=1 dotnet test tests/Whc.Declarative.Cli.Tests</c>
/// and review the diff: an unexplained baseline change is a bug.
/// </summary>
public static partial class Baseline
{
    public static string Directory { get; } = Path.Combine(Repository.Root, "tests", "Whc.Declarative.Cli.Tests", "Baselines");

    public static void Match(string name, string actual, string workspace)
    {
        var scrubbed = Scrub(actual, workspace);
        var path = Path.Combine(Directory, name);
        if (Environment.GetEnvironmentVariable("WHC_UPDATE_BASELINES") == "1")
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path) ?? Directory);
            File.WriteAllText(path, scrubbed);
        }

        File.Exists(path).Should().BeTrue($"every rendered output needs a baseline; run with WHC_UPDATE_BASELINES=1 to create Baselines/{name}");
        scrubbed.Should().Be(File.ReadAllText(path).ReplaceLineEndings("\n"), $"the output must match Baselines/{name} (regenerate with WHC_UPDATE_BASELINES=1 if the change is intended)");
    }

    /// <summary>
    /// The one place that removes what legitimately varies between runs: the temp workspace path, the time a plan was
    /// made, whcctl's version and commit, state lineages (new GUIDs) and inventory fingerprints. Nothing else.
    /// </summary>
    public static string Scrub(string text, string workspace)
    {
        var scrubbed = text.ReplaceLineEndings("\n").Replace(workspace, "<workspace>", StringComparison.Ordinal);
        scrubbed = Timestamp().Replace(scrubbed, "<time>");
        scrubbed = Guid().Replace(scrubbed, "<guid>");
        scrubbed = JsonVersion().Replace(scrubbed, "\"${key}_version\": \"<version>\"");
        scrubbed = FooterVersion().Replace(scrubbed, "whcctl <version> ·");
        scrubbed = Fingerprint().Replace(scrubbed, "\"inventory_fingerprint\": \"<fingerprint>\"");
        return scrubbed;
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{32}\b")]
    private static partial Regex Guid();

    [GeneratedRegex("\"(?<key>whcctl|terraform)_version\": \"[^\"]*\"")]
    private static partial Regex JsonVersion();

    [GeneratedRegex(@"whcctl \S+ ·")]
    private static partial Regex FooterVersion();

    [GeneratedRegex("\"inventory_fingerprint\": \"(?!none\")[^\"]*\"")]
    private static partial Regex Fingerprint();
}
