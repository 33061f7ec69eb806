namespace Whc.Declarative.Files.Tests;

public sealed class FileKindsTests
{
    [UnixFact]
    public void An_open_handle_tells_what_was_opened()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var regular = File.OpenHandle(path))
            {
                FileKinds.Of(regular).Should().Be(FileKind.Regular);
            }

            // What the reader re-checks after opening: a path swapped for a device between the look and the open
            using var device = File.OpenHandle("/dev/null");
            FileKinds.Of(device).Should().Be(FileKind.CharacterDevice);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [UnixFact]
    public void A_link_is_told_as_a_link_or_as_what_it_leads_to()
    {
        var directory = Directory.CreateTempSubdirectory("whc-kinds-").FullName;
        try
        {
            var link = Path.Combine(directory, "zero");
            File.CreateSymbolicLink(link, "/dev/zero");

            FileKinds.Of(link, followLinks: false).Kind.Should().Be(FileKind.SymbolicLink);
            FileKinds.Of(link, followLinks: true).Kind.Should().Be(FileKind.CharacterDevice);
            FileKinds.Of(Path.Combine(directory, "none"), followLinks: true).Kind.Should().Be(FileKind.Missing);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
