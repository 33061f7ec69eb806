using Whc.Declarative.Core.State;
using Whc.Declarative.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// Issue 28: reading a state goes through its JSON once; the format check (version, then the fields) comes from the
/// same pass. It used to read the top level first and then the whole file again.
/// </summary>
public sealed class StateReadOnceTests
{
    [Fact]
    public async Task Reading_a_state_reads_its_file_once_and_parses_it_once()
    {
        // Given a state in the local store, and a store that counts what it reads and parses
        using var directory = new TempDirectory();
        await new LocalStateStore(directory.Path).WriteAsync(SampleStates.FunNetwork(serial: 1), SampleStates.Context, CancellationToken.None);
        var probe = new StateReadProbe();
        var store = new LocalStateStore(directory.Path, serializer: new StateSerializer([], probe), probe: probe);

        // When it is read
        var state = await store.ReadAsync("fun-network", CancellationToken.None);

        // Then it was read whole, from one read of its file and one pass over its JSON
        state.Should().NotBeNull();
        state!.Users.Should().NotBeEmpty();
        var path = store.StatePath("fun-network");
        probe.ReadsOf(path).Should().Be(1);
        probe.ParsesOf(path).Should().Be(1);
    }

    [Theory]
    [InlineData("{\"version\": 4, \"serial\": 1, \"lineage\": \"l\", \"company\": \"fun-network\"}", "version 4 was written by a newer whcctl")]
    [InlineData("{\"version\": 4, \"serial\": 1, \"lineage\": \"l\", \"company\": \"fun-network\", \"future\": {}}", "version 4 was written by a newer whcctl")]
    [InlineData("{\"version\": 0, \"serial\": 1, \"lineage\": \"l\", \"company\": \"fun-network\"}", "version 0 is too old")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"serial\": 1, \"lineage\": \"l\", \"company\": \"fun-network\"}", "no numeric 'version' field")]
    [InlineData("{\"version\": \"3\", \"serial\": 1}", "no numeric 'version' field")]
    [InlineData("{\"version\": 3,\n \"serial\": ", "not valid JSON (line 2)")]
    [InlineData("{\"version\": 3, \"serial\": 1, \"lineage\": \"l\", \"company\": \"fun-network\", \"future\": {}}", "field that format version 3 does not have at $.future")]
    public void A_state_the_single_pass_cannot_read_is_refused_as_the_format_check_refuses_it(string json, string refusal)
    {
        // When a state that is newer, too old, not an object, without a version, not JSON or with an unknown field is read
        var read = () => StateSerializer.Default.Deserialize(json, "fun-network.json");

        // Then it is refused for that (the version first), not for whatever the single pass met first
        read.Should().Throw<StateException>().Which.Message.Should().Contain(refusal);
    }
}
