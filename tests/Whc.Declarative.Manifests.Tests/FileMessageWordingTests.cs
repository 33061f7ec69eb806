using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// The words of the file-level diagnostics (encoding, size, links, empty directories), pinned whole: they moved from
/// the call sites to catalogue templates, and no other test held them byte for byte.
/// </summary>
public sealed class FileMessageWordingTests
{
    private static string Only(ManifestSet set) =>
        set.Diagnostics.Should().ContainSingle().Subject.ToString();

    [Fact]
    public void A_UTF16_file_is_refused_in_these_words()
    {
        Only(ManifestLoader.ParseBytes("a.yaml", [0xFF, 0xFE, (byte)'a', 0]))
            .Should().Be("a.yaml: error WHC1005: the file is UTF-16 encoded; save it as UTF-8");
    }

    [Fact]
    public void A_file_with_a_NUL_byte_is_refused_in_these_words()
    {
        Only(ManifestLoader.ParseBytes("a.yaml", "kind: x\n\0"u8))
            .Should().Be("a.yaml(2,1): error WHC1005: the file contains NUL bytes; it looks binary, not a YAML manifest");
    }

    [Fact]
    public void A_file_that_is_not_UTF8_is_refused_in_these_words()
    {
        Only(ManifestLoader.ParseBytes("a.yaml", [(byte)'a', 0xC3, 0x28]))
            .Should().Be("a.yaml(1,2): error WHC1005: the file is not valid UTF-8 text; save it as UTF-8");
    }

    [Fact]
    public void A_text_with_a_NUL_character_is_refused_in_these_words()
    {
        Only(ManifestLoader.Parse("a.yaml", "kind: x\n\0"))
            .Should().Be("a.yaml: error WHC1005: the file contains NUL characters; it looks binary, not a YAML manifest");
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_in_these_words()
    {
        var content = new byte[(6 * 1024 * 1024) + (512 * 1024)];
        content.AsSpan().Fill((byte)'#');

        Only(ManifestLoader.ParseBytes("a.yaml", content))
            .Should().Be("a.yaml: error WHC1003: the file is 6.5 MiB; manifest files may be at most 5 MiB (split the companies over several files)");
    }

    [Fact]
    public void A_directory_without_manifests_is_refused_in_these_words()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("empty/readme.txt", "not a manifest");

        Only(ManifestLoader.Load(["empty"], directory.Path))
            .Should().Be("empty: error WHC1002: no manifest files (*.yaml, *.yml) in this directory or below it");
    }

    [UnixFact]
    public void A_link_that_leads_nowhere_is_refused_in_these_words()
    {
        using var directory = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(directory.Path, "manifests"));
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "gone.yaml"), "missing.yaml");

        Only(ManifestLoader.Load(["manifests"], directory.Path))
            .Should().Be("manifests/gone.yaml: error WHC1004: this link leads nowhere: missing.yaml does not exist");
    }

    [UnixFact]
    public void A_link_out_of_the_directory_is_refused_in_these_words()
    {
        using var directory = new TemporaryDirectory();
        var outside = directory.Write("outside/company.yaml", "kind: Company\n");
        Directory.CreateDirectory(Path.Combine(directory.Path, "manifests"));
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "company.yaml"), outside);

        Only(ManifestLoader.Load(["manifests"], directory.Path))
            .Should().Be($"manifests/company.yaml: error WHC1028: this is a link to {outside}, outside manifests; whcctl reads no file outside the directory it is given, so a manifest directory cannot make it read any file on the machine");
    }
}
