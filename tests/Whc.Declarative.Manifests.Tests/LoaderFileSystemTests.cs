namespace Whc.Declarative.Manifests.Tests;

public sealed class LoaderFileSystemTests
{
    private static string Manifest(string key) => $"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata: {"{"} name: {key} {"}"}
        spec:
          reseller: {"{"} cugId: CUG5019851064, billingAccount: GB12345678 {"}"}
          company: {"{"} name: Company-{key}, domain: {key}.example.com, customerGroup: G {"}"}
        """;

    [Fact]
    public void A_path_that_does_not_exist_is_reported_as_typed()
    {
        using var directory = new TemporaryDirectory();

        var result = ManifestLoader.Load(["missing/company.yaml"], directory.Path);

        result.Diagnostics.Should().ContainSingle().Which.ToString().Should().Be("missing/company.yaml: error WHC1001: no such file or directory");
    }

    [Fact]
    public void A_directory_without_manifests_is_reported()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("empty/readme.txt", "not a manifest");

        var result = ManifestLoader.Load(["empty"], directory.Path);

        result.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1002");
    }

    [Fact]
    public void Directories_are_searched_recursively_in_sorted_order_with_paths_joined_to_what_was_typed()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/b/second.yml", Manifest("second"));
        directory.Write("manifests/a.yaml", Manifest("first"));
        directory.Write("manifests/notes.md", "ignored");

        var result = ManifestLoader.LoadDetailed(["manifests/"], directory.Path);

        result.Files.Should().Equal("manifests/a.yaml", "manifests/b/second.yml");
        result.Manifests.Companies.Select(c => c.Key).Should().Equal("first", "second");
        result.Manifests.Companies[1].Span.File.Should().Be("manifests/b/second.yml");
    }

    [Fact]
    public void No_paths_means_the_working_directory()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("company.yaml", Manifest("here"));

        var result = ManifestLoader.LoadDetailed([], directory.Path);

        result.Files.Should().Equal("company.yaml");
        result.Manifests.Companies.Should().ContainSingle().Which.Key.Should().Be("here");
    }

    [Fact]
    public void A_file_given_twice_is_loaded_once()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("company.yaml", Manifest("once"));

        var result = ManifestLoader.Load(["company.yaml", "./company.yaml"], directory.Path);

        result.Diagnostics.Should().BeEmpty();
        result.Companies.Should().ContainSingle();
    }

    [Fact]
    public void A_company_key_defined_in_two_files_names_the_other_file()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("a.yaml", Manifest("same"));
        directory.Write("b.yaml", Manifest("same"));

        var result = ManifestLoader.Load(["a.yaml", "b.yaml"], directory.Path);

        result.Diagnostics.Should().ContainSingle().Which.ToString().Should().Be(
            "b.yaml(3,19): error WHC2001: company key 'same' is defined twice (also at a.yaml(3,19)); metadata.name must be unique across all manifests");
    }

    [Fact]
    public void The_examples_in_the_repository_are_valid()
    {
        var result = ManifestLoader.LoadDetailed(["examples"], TestPaths.RepositoryRoot);

        result.Manifests.Diagnostics.Should().BeEmpty();
        result.Manifests.Companies.Select(c => c.Key).Should().Equal("northern-lights-media", "fun-network");
    }

    [Fact]
    public void The_multi_site_example_has_three_sites_two_number_blocks_and_25_users()
    {
        var company = ManifestLoader.Load(["examples/multi-site"], TestPaths.RepositoryRoot).Companies.Should().ContainSingle().Subject;

        company.Sites.Should().HaveCount(3);
        company.NumberBlocks.Should().HaveCount(2);
        company.AllUsers().Should().HaveCount(25);
    }
}
