using Whc.Declarative.Cli.Infrastructure;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// One command reads its contract file once: the client it connects and the characteristic check (WHC2031) see the
/// same contract, even when the file changes while the command runs.
/// </summary>
public sealed class WireFilesTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("whcctl-wirefiles-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public void A_commands_wire_files_are_read_once_so_the_client_and_the_characteristic_check_share_one_contract()
    {
        var file = Path.Combine(directory.FullName, "contract.json");
        File.WriteAllText(file, """{ "characteristics": { "user": { "firstName": "callerIdName" } } }""");
        var io = new IOContext(TextWriter.Null, TextWriter.Null, new StringReader(string.Empty), new Dictionary<string, string?>(), directory.FullName, isTerminal: false);
        var wire = new WireFiles("contract.json", null);

        var first = wire.Load(io);
        // The file changes between the client's read and the manifest check's.
        File.WriteAllText(file, """{ "characteristics": { "user": { "firstName": "callerIdLabel" } } }""");
        var names = ContractCharacteristicNames.Of(wire, io);

        wire.Load(io).Should().BeSameAs(first);
        first.Contract!.Characteristics["user"]["firstName"].Should().Be("callerIdName");
        names.FieldSentAs("user", "callerIdName").Should().Be("firstName", "the check sees the contract the client was given");
    }

    [Fact]
    public void Another_commands_context_reads_the_files_again()
    {
        var file = Path.Combine(directory.FullName, "contract.json");
        File.WriteAllText(file, """{ "characteristics": { "user": { "firstName": "callerIdName" } } }""");
        var wire = new WireFiles("contract.json", null);
        IOContext Context() => new(TextWriter.Null, TextWriter.Null, new StringReader(string.Empty), new Dictionary<string, string?>(), directory.FullName, isTerminal: false);

        var first = wire.Load(Context());
        File.WriteAllText(file, """{ "characteristics": { "user": { "firstName": "callerIdLabel" } } }""");

        wire.Load(Context()).Contract!.Characteristics["user"]["firstName"].Should().Be("callerIdLabel");
        first.Contract!.Characteristics["user"]["firstName"].Should().Be("callerIdName");
    }
}
