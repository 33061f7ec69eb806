using Whc.Declarative.Core.Diagnostics;

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

    /// <summary>Loads with a bound: a hang (a FIFO opened for reading blocks) fails the test instead of the run.</summary>
    private static ManifestLoadResult LoadWithin(TimeSpan limit, IReadOnlyList<string> paths, string workingDirectory)
    {
        var load = Task.Run(() => ManifestLoader.LoadDetailed(paths, workingDirectory));
        load.Wait(limit).Should().BeTrue($"loading must finish within {limit.TotalSeconds} s, not hang");
        return load.Result;
    }

    [UnixFact]
    public void A_fifo_in_a_manifest_directory_is_a_diagnostic_not_a_hang()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/a.yaml", Manifest("first"));
        UnixFiles.MakeFifo(Path.Combine(directory.Path, "manifests", "pipe.yaml"));

        var result = LoadWithin(TimeSpan.FromSeconds(10), ["manifests"], directory.Path);

        result.Manifests.Diagnostics.Should().ContainSingle().Which.ToString().Should().Be(
            "manifests/pipe.yaml: error WHC1025: this is a FIFO (named pipe), not a regular file; whcctl reads only regular files");
        result.Manifests.Companies.Select(c => c.Key).Should().Equal("first");
    }

    [UnixFact]
    public void A_fifo_given_by_path_is_a_diagnostic_not_a_hang()
    {
        using var directory = new TemporaryDirectory();
        UnixFiles.MakeFifo(Path.Combine(directory.Path, "pipe.yaml"));

        var result = LoadWithin(TimeSpan.FromSeconds(10), ["pipe.yaml"], directory.Path);

        result.Manifests.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1025");
    }

    [UnixFact]
    public void A_socket_is_not_read()
    {
        using var directory = new TemporaryDirectory();
        using var socket = UnixFiles.MakeSocket(Path.Combine(directory.Path, "socket.yaml"));

        var result = LoadWithin(TimeSpan.FromSeconds(10), [], directory.Path);

        result.Manifests.Diagnostics.Should().ContainSingle().Which.ToString().Should().Be(
            "socket.yaml: error WHC1025: this is a socket, not a regular file; whcctl reads only regular files");
    }

    [UnixFact]
    public void A_link_to_dev_zero_given_by_path_is_refused_without_reading_it()
    {
        using var directory = new TemporaryDirectory();
        File.CreateSymbolicLink(Path.Combine(directory.Path, "zero.yaml"), "/dev/zero");

        var result = LoadWithin(TimeSpan.FromSeconds(10), ["zero.yaml"], directory.Path);

        // WHC1025 is decided from the file's kind, before anything is opened: not a byte is read from the device.
        result.Manifests.Diagnostics.Should().ContainSingle().Which.ToString().Should().Be(
            "zero.yaml: error WHC1025: this is a character device, not a regular file; whcctl reads only regular files");
    }

    [UnixFact]
    public void A_link_to_dev_zero_in_a_directory_is_refused_as_leading_outside_it()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/a.yaml", Manifest("first"));
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "zero.yaml"), "/dev/zero");

        var result = LoadWithin(TimeSpan.FromSeconds(10), ["manifests"], directory.Path);

        result.Manifests.Diagnostics.Should().ContainSingle().Which.ToString().Should().Be(
            "manifests/zero.yaml: error WHC1028: this is a link to /dev/zero, outside manifests; whcctl reads no file outside the directory it is given, so a manifest directory cannot make it read any file on the machine");
    }

    [Fact]
    public void Reading_stops_at_the_size_limit_whatever_the_file_system_reports()
    {
        // A file system may report a size of 0 and then deliver gigabytes (/proc, a growing file, a device).
        using var stream = new EndlessStream();

        var diagnostics = new List<Diagnostic>();
        var bytes = ManifestLoader.ReadBounded(stream, "endless.yaml", diagnostics);

        bytes.Should().BeNull();
        diagnostics.Should().ContainSingle().Which.ToString().Should().Be(
            "endless.yaml: error WHC1003: the file is over 5 MiB (reading stopped there); manifest files may be at most 5 MiB (split the companies over several files)");
        stream.Delivered.Should().BeLessThanOrEqualTo(ManifestLoader.MaxFileBytes + 64 * 1024);
    }

    [UnixFact]
    public void A_proc_file_that_reports_no_size_is_read_only_up_to_the_limit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // /proc/self/pagemap is a regular file of size 0 that reads as 8 bytes per page of the address space.
        var result = LoadWithin(TimeSpan.FromSeconds(10), ["/proc/self/pagemap"], Path.GetTempPath());

        result.Manifests.Diagnostics.Should().ContainSingle().Which.ToString().Should().StartWith("/proc/self/pagemap: error WHC1003: the file is over 5 MiB");
    }

    [UnixFact]
    public void A_directory_link_is_not_followed_so_a_loop_cannot_trap_the_walk()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/team/a.yaml", Manifest("first"));
        Directory.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "team", "up"), "..");
        Directory.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "etc"), "/etc");

        var result = LoadWithin(TimeSpan.FromSeconds(10), ["manifests"], directory.Path);

        result.Files.Should().Equal("manifests/team/a.yaml");
        result.Manifests.Diagnostics.Select(d => d.ToString()).Should().Equal(
            "manifests/etc: warning WHC1026: this is a link to a directory, which whcctl does not follow (no loops, nothing outside the tree); give the directory itself as a path to read it",
            "manifests/team/up: warning WHC1026: this is a link to a directory, which whcctl does not follow (no loops, nothing outside the tree); give the directory itself as a path to read it");
        result.Manifests.Companies.Should().ContainSingle();
    }

    [UnixFact]
    public void A_file_link_inside_the_tree_is_followed_and_its_target_read_once()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/v2.yaml", Manifest("first"));
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "current.yaml"), "v2.yaml");
        directory.Write("manifests/team/b.yaml", Manifest("second"));
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "team", "also.yaml"), "../../manifests/team/./b.yaml");

        var result = LoadWithin(TimeSpan.FromSeconds(10), ["manifests"], directory.Path);

        result.Manifests.Diagnostics.Should().BeEmpty();
        result.Files.Should().Equal("manifests/team/b.yaml", "manifests/v2.yaml");
        result.Manifests.Companies.Select(c => c.Key).Should().Equal("second", "first");
    }

    [UnixFact]
    public void A_file_link_leading_outside_the_tree_is_refused_and_not_read()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/a.yaml", Manifest("first"));
        directory.Write("secret.yaml", "password: do-not-print-me\n");
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "leak.yaml"), "../secret.yaml");

        var result = LoadWithin(TimeSpan.FromSeconds(10), ["manifests"], directory.Path);

        var diagnostic = result.Manifests.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC1028");
        diagnostic.Span.File.Should().Be("manifests/leak.yaml");
        result.Manifests.Diagnostics.Should().NotContain(d => d.Message.Contains("do-not-print-me", StringComparison.Ordinal));
    }

    [UnixFact]
    public void A_link_through_a_directory_link_cannot_escape_the_tree()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/a.yaml", Manifest("first"));
        directory.Write("outside/secret.yaml", Manifest("outside"));
        Directory.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "door"), "../outside");
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "b.yaml"), "door/secret.yaml");

        var result = LoadWithin(TimeSpan.FromSeconds(10), ["manifests"], directory.Path);

        result.Manifests.Diagnostics.Should().Contain(d => d.Code == "WHC1028" && d.Span.File == "manifests/b.yaml");
        result.Manifests.Companies.Select(c => c.Key).Should().Equal("first");
    }

    [UnixFact]
    public void A_dangling_link_and_a_link_loop_are_diagnostics()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/a.yaml", Manifest("first"));
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "gone.yaml"), "missing.yaml");
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "loop1.yaml"), "loop2.yaml");
        File.CreateSymbolicLink(Path.Combine(directory.Path, "manifests", "loop2.yaml"), "loop1.yaml");

        var result = LoadWithin(TimeSpan.FromSeconds(10), ["manifests"], directory.Path);

        result.Manifests.Diagnostics.Select(d => (d.Code, d.Span.File)).Should().Equal(
            ("WHC1004", "manifests/gone.yaml"), ("WHC1004", "manifests/loop1.yaml"), ("WHC1004", "manifests/loop2.yaml"));
    }

    [UnreadableDirectoryFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void An_unreadable_directory_is_a_diagnostic_not_skipped_in_silence()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/a.yaml", Manifest("first"));
        directory.Write("manifests/locked/b.yaml", Manifest("second"));
        var locked = Path.Combine(directory.Path, "manifests", "locked");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        try
        {
            var result = LoadWithin(TimeSpan.FromSeconds(10), ["manifests"], directory.Path);

            result.Manifests.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1027");
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_directory_the_walk_cannot_list_is_a_diagnostic_naming_it()
    {
        // Runs everywhere, as root too: the listing of one directory fails as chmod 000 makes it fail for other users.
        using var directory = new TemporaryDirectory();
        directory.Write("manifests/a.yaml", Manifest("first"));
        directory.Write("manifests/locked/b.yaml", Manifest("second"));
        IEnumerable<FileSystemInfo> List(DirectoryInfo info) => info.Name == "locked"
            ? throw new UnauthorizedAccessException($"Access to the path '{info.FullName}' is denied.")
            : info.EnumerateFileSystemInfos();
        var diagnostics = new List<Diagnostic>();

        var files = ManifestFileFinder.Find(["manifests"], directory.Path, diagnostics, List);

        files.Select(f => f.DisplayPath).Should().Equal("manifests/a.yaml");
        diagnostics.Should().ContainSingle().Which.ToString().Should().Be(
            "manifests/locked: error WHC1027: cannot read the directory, so its manifests would be missed: permission denied");
    }
}

/// <summary>A stream that reports no length and never ends, as /dev/zero or a /proc file does.</summary>
internal sealed class EndlessStream : Stream
{
    public long Delivered { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Delivered; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Array.Fill(buffer, (byte)'a', offset, count);
        Delivered += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
