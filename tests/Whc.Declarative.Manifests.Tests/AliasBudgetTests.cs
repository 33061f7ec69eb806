using System.Diagnostics;
using System.Globalization;
using System.Text;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Manifests.Yaml;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// Issue 22: aliases are budgeted by the characters they bring in (per file and per run), not only by nodes: a few
/// aliases of one huge scalar are refused at the alias that passes the budget, quickly; many small aliases are fine.
/// </summary>
public sealed class AliasBudgetTests
{
    private const string Head = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata: { name: fun-network }
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
          numberBlocks: [ { name: brum, areaCode: "0121", quantity: 10 } ]

        """;

    /// <summary>A company whose first site holds <paramref name="users"/> users, each aliasing <c>*shared</c> as a characteristic value.</summary>
    private static string UsersAliasing(string anchored, int users, string key = "fun-network")
    {
        var text = new StringBuilder(Head.Replace("fun-network", key, StringComparison.Ordinal));
        text.Append("  sites:\n    - name: hq\n      locationCode: IPS01\n      address: { postcode: IP5 3RE, premises: Adastral Park }\n");
        text.Append("      characteristics: { note: &shared ").Append(anchored).Append(" }\n      users:\n");
        for (var i = 1; i <= users; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"        - {{ username: u{i}, firstName: F, lastName: L, extension: \"{2000 + i}\", characteristics: {{ note: *shared }} }}\n");
        }

        return text.ToString();
    }

    private static int LineOfUser(string text, int user) =>
        text.Split('\n').Select((line, index) => (line, index)).First(l => l.line.Contains($"username: u{user},", StringComparison.Ordinal)).index + 1;

    [Fact]
    public void A_4_MiB_scalar_aliased_200_times_is_refused_quickly_at_the_alias_that_passes_the_character_budget()
    {
        var text = UsersAliasing(new string('x', 4 * 1024 * 1024), 200);

        var clock = Stopwatch.StartNew();
        var result = ManifestLoader.Parse("big.yaml", text);
        clock.Stop();

        var diagnostic = result.Diagnostics.Should().ContainSingle(d => d.Code == "WHC1009").Subject;
        diagnostic.Span.File.Should().Be("big.yaml");
        diagnostic.Span.Line.Should().Be(LineOfUser(text, 2), "the first alias adds about the file's own size, the second passes it");
        diagnostic.Span.Column.Should().Be(text.Split('\n')[diagnostic.Span.Line - 1].IndexOf("*shared", StringComparison.Ordinal) + 1);
        diagnostic.Message.Should().Contain("characters");
        result.Companies.Should().BeEmpty();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_small_file_may_expand_by_a_mebibyte_and_no_more()
    {
        // 300 characters aliased 3,600 times is about 1.03 MiB: past the floor of the budget, far under the node cap.
        var text = UsersAliasing(new string('y', 300), 3_600);

        var diagnostic = ManifestLoader.Parse("wide.yaml", text).Diagnostics.Should().ContainSingle(d => d.Code == "WHC1009").Subject;

        diagnostic.Span.Line.Should().Be(LineOfUser(text, (int)(YamlTreeReader.MinAliasCharactersPerFile / 300) + 1));
    }

    [Fact]
    public void Aliases_of_many_files_share_one_budget_per_run()
    {
        // Each file expands by its own size (allowed), together past the run's budget: the file and alias that pass it are named.
        var perFile = 3 * 1024 * 1024;
        var files = (int)(YamlTreeReader.MaxAliasCharactersPerRun / perFile) + 1;
        var sources = Enumerable.Range(1, files)
            .Select(i => new ManifestSource($"f{i}.yaml", UsersAliasing($"\"{new string('z', perFile)}\"", 1, $"company-{i}")))
            .ToList();

        var clock = Stopwatch.StartNew();
        var result = ManifestLoader.Parse(sources);
        clock.Stop();

        var diagnostic = result.Diagnostics.Should().ContainSingle(d => d.Code == "WHC1009").Subject;
        diagnostic.Span.File.Should().Be($"f{files}.yaml");
        diagnostic.Span.Line.Should().Be(LineOfUser(sources[^1].Text, 1));
        diagnostic.Message.Should().Contain("run");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_thousand_small_aliases_validate_quickly()
    {
        var text = UsersAliasing("Reception", 1_000);

        var clock = Stopwatch.StartNew();
        var result = ManifestLoader.Parse("many.yaml", text);
        clock.Stop();

        result.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
        result.Companies.Should().ContainSingle().Which.Sites.Single().Users.Should().HaveCount(1_000);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
    }
}
