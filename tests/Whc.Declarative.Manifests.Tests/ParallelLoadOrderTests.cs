namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// Files are loaded on several threads; what comes out must not depend on which thread finished first. Files of very
/// different sizes, some broken in different ways, are loaded from disk and compared with the sequential parse of the
/// same texts under the same names.
/// </summary>
public sealed class ParallelLoadOrderTests
{
    private static string Company(string key, int users, string extra = "")
    {
        var lines = new List<string>
        {
            "apiVersion: whc.declarative/v1",
            "kind: Company",
            $"metadata: {{ name: {key} }}",
            "spec:",
            "  reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }",
            $"  company: {{ name: Company-{key}, domain: {key}.example.com, customerGroup: G{extra} }}",
            "  numberBlocks:",
            "    - { name: main, areaCode: \"0113\", quantity: 100 }",
            "  sites:",
            "    - name: hq",
            "      locationCode: B0001S0",
            "      address: { postcode: LS1 4AP, premises: Aire House, street: Wellington Street, city: Leeds }",
            "      users:",
        };
        for (var u = 0; u < users; u++)
        {
            lines.Add($"        - {{ username: u{u}.{key}, firstName: User, lastName: N{u}, extension: \"{2000 + u}\", number: {{ from: main }} }}");
        }

        return string.Join('\n', lines) + "\n";
    }

    [Fact]
    public void Diagnostics_and_companies_come_out_in_file_order_whatever_thread_finishes_first()
    {
        using var directory = new TemporaryDirectory();
        var sources = new List<ManifestSource>();
        for (var i = 0; i < 48; i++)
        {
            var name = $"m/company-{i:D2}.yaml";
            // Large files early and small late, so later files tend to finish first on another thread.
            var users = i < 8 ? 80 : 1;
            var text = (i % 5) switch
            {
                0 => Company($"c{i}", users, ", unknownField: 1"),    // schema error
                1 => Company($"c{i}", users).Replace("kind: Company", "kind: Company\n kind: [", StringComparison.Ordinal), // syntax error
                2 => Company(i % 10 == 2 ? "dup" : $"c{i}", users),  // duplicate key across files
                _ => Company($"c{i}", users),
            };
            directory.Write(name, text);
            sources.Add(new ManifestSource(name, text));
        }

        var sequential = ManifestLoader.Parse(sources);
        for (var run = 0; run < 5; run++)
        {
            var loaded = ManifestLoader.Load(["m"], directory.Path);

            loaded.Diagnostics.Select(d => d.ToString()).Should().Equal(sequential.Diagnostics.Select(d => d.ToString()));
            loaded.Companies.Select(c => c.Key).Should().Equal(sequential.Companies.Select(c => c.Key));
        }

        sequential.Diagnostics.Should().HaveCountGreaterThan(10, "the estate is built to have errors of several kinds");
    }
}
