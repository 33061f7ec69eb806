namespace Whc.Declarative.Files.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private const string Precious = "outside, never to be written\n";

    private readonly string directory = Directory.CreateTempSubdirectory("whc-files-").FullName;

    [Fact]
    public void A_file_is_written_and_replaced_whole_leaving_no_temporary_file()
    {
        var path = Path.Combine(directory, "plan.json");

        AtomicFile.Write(path, "first");
        AtomicFile.Write(path, "second");

        File.ReadAllText(path).Should().Be("second");
        Directory.GetFiles(directory).Select(Path.GetFileName).Should().Equal("plan.json");
    }

    [UnixFact]
    public void A_link_at_the_target_is_replaced_not_written_through()
    {
        var victim = Outside();
        var path = Path.Combine(directory, "plan.json");
        File.CreateSymbolicLink(path, victim);

        AtomicFile.Write(path, "plan");

        File.ReadAllText(victim).Should().Be(Precious);
        new FileInfo(path).LinkTarget.Should().BeNull();
        File.ReadAllText(path).Should().Be("plan");
    }

    [UnixFact]
    public void The_temporary_file_is_created_exclusively_and_a_link_at_its_name_is_refused_untouched()
    {
        // The name is random, so a planted link cannot be at it; at a known name CreateNew refuses what is there.
        var victim = Outside();
        var path = Path.Combine(directory, "plan.json");
        var temporary = AtomicFile.TemporaryPathFor(path);

        temporary.Should().StartWith(Path.Combine(directory, ".plan.json.")).And.EndWith(".tmp");
        AtomicFile.TemporaryPathFor(path).Should().NotBe(temporary, "each write gets a name of its own");
        File.CreateSymbolicLink(temporary, victim);
        FluentActions.Invoking(() => new FileStream(temporary, FileMode.CreateNew, FileAccess.Write).Dispose()).Should().Throw<IOException>();
        File.ReadAllText(victim).Should().Be(Precious);
    }

    [Fact]
    public void A_failed_write_leaves_the_target_as_it_was_and_no_temporary_file()
    {
        // The target is a directory holding a file: the rename fails after the temporary file is written
        var target = Path.Combine(directory, "out");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep"), "kept");

        FluentActions.Invoking(() => AtomicFile.Write(target, "plan")).Should().Throw<IOException>();

        File.ReadAllText(Path.Combine(target, "keep")).Should().Be("kept");
        Directory.GetFiles(directory).Should().BeEmpty("the temporary file is removed");
    }

    [Fact]
    public void Create_writes_only_where_nothing_is()
    {
        var path = Path.Combine(directory, "company.yaml");

        AtomicFile.TryCreate(path, "first").Should().BeTrue();
        AtomicFile.TryCreate(path, "second").Should().BeFalse();

        File.ReadAllText(path).Should().Be("first");
        Directory.GetFiles(directory).Select(Path.GetFileName).Should().Equal("company.yaml");
    }

    [UnixFact]
    public void Create_does_not_write_through_a_dangling_link()
    {
        var planted = Path.Combine(Directory.CreateTempSubdirectory("whc-outside-").FullName, "planted.yaml");
        var path = Path.Combine(directory, "company.yaml");
        File.CreateSymbolicLink(path, planted);

        AtomicFile.TryCreate(path, "manifest").Should().BeFalse("the name is taken, by a link");

        File.Exists(planted).Should().BeFalse();
        Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).Should().Equal("company.yaml");
    }

    [UnixFact]
    public void A_name_taken_between_the_look_and_the_placing_is_kept_and_not_written_through()
    {
        // As if a file and a dangling link appeared after TryCreate looked
        var victim = Outside();
        var planted = Path.Combine(Path.GetDirectoryName(victim)!, "planted.yaml");
        var file = Path.Combine(directory, "file.yaml");
        var link = Path.Combine(directory, "link.yaml");
        File.WriteAllText(file, "theirs");
        File.CreateSymbolicLink(link, planted);

        AtomicFile.TryPlaceNew(file, "ours", flushToDisk: false).Should().BeFalse();
        AtomicFile.TryPlaceNew(link, "ours", flushToDisk: false).Should().BeFalse();

        File.ReadAllText(file).Should().Be("theirs");
        File.Exists(planted).Should().BeFalse();
        Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).Should().BeEquivalentTo(["file.yaml", "link.yaml"], "the temporary files are removed");
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Outside()
    {
        var victim = Path.Combine(Directory.CreateTempSubdirectory("whc-outside-").FullName, "victim.txt");
        File.WriteAllText(victim, Precious);
        return victim;
    }
}
