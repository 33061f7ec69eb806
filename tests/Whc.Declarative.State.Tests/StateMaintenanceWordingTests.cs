using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// Issue 26: state maintenance's refusals (rm, mv, rollback, push, migrate) pinned whole against a local store, written
/// against the wording at the throw sites before it moved into the catalogue's templates. The store's directory reads DIR.
/// </summary>
public sealed class StateMaintenanceWordingTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly TempDirectory other = new();

    public void Dispose()
    {
        directory.Dispose();
        other.Dispose();
    }

    private async Task<LocalStateStore> StoreAsync()
    {
        var store = new LocalStateStore(directory.Path);
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        await store.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context, default);
        await store.WriteAsync(SampleStates.FunNetwork(3), SampleStates.Context, default);
        return store;
    }

    private async Task<(string Code, string Message)> RefusalAsync(Func<LocalStateStore, Task> act)
    {
        var store = await StoreAsync();
        var failure = (await FluentActions.Awaiting(() => act(store)).Should().ThrowAsync<StateException>()).Which;
        return (failure.Code, failure.Message.Replace(directory.Path, "DIR", StringComparison.Ordinal).Replace(other.Path, "OTHER", StringComparison.Ordinal));
    }

    private static ResourceAddress Site(string name) => new("fun-network", ResourceKind.Site, name);

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "read", "WHC5004", "no state for company 'nobody' in local directory DIR" },
        { "rm-missing", "WHC5004", "fun-network/site/nowhere is not in state (see 'whcctl state list')" },
        { "rm-empty", "WHC5004", "empty-co has nothing recorded in state" },
        { "mv-user", "WHC5005", "fun-network/user/tom.jones cannot be renamed: a username is how BT knows a user (change it in the manifest, and the plan replaces the user)" },
        { "mv-kinds", "WHC5005", "state mv renames a number block or a site within one company; fun-network/site/london-office → fun-network/number-block/london is not that" },
        { "mv-taken", "WHC5005", "fun-network/site/ipswich-hq is already in state" },
        { "mv-missing", "WHC5004", "fun-network/site/nowhere is not in state (see 'whcctl state list')" },
        { "rollback-company", "WHC5004", "no state for company 'nobody' in local directory DIR" },
        { "rollback-serial", "WHC5004", "no version with serial 99 of company 'fun-network' in local directory DIR (see 'whcctl state history fun-network')" },
        { "push-lineage", "WHC5009", "refusing to push: the file's lineage 0b8e5f3a-9c1d-4e2f-a374-5b6c7d8e9f01 differs from the stored lineage 7f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6 of 'fun-network' (use --force to replace it)" },
        { "push-descent", "WHC5009", "refusing to push: the file's serial 9 is beyond the next serial 4: whcctl numbers versions itself, so such a file descends from no version stored here (a serial set by hand, or a file kept by an older whcctl after several failed writes); compare it with 'whcctl state pull fun-network' (current serial 3, lineage 7f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6 of 'fun-network' in local directory DIR); to replace serial 3 deliberately, push with --force" },
        { "push-nothing-stored", "WHC5009", "refusing to push: the file (serial 5) was derived from serial 3 (its parentSerial), but local directory DIR holds no state for 'new-co': it was kept against another store, or this one lost its state; push it with --force to start from it" },
        { "migrate", "WHC5009", "refusing to migrate 'fun-network': local directory OTHER already has serial 1, lineage 7f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6 (source: serial 3, lineage 7f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6); use --force to overwrite. Nothing was copied." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_maintenance_refusal_is_worded_as_before(string name, string code, string expected)
    {
        var context = SampleStates.Context;
        Func<LocalStateStore, Task> act = name switch
        {
            "read" => s => StateMaintenance.ReadRequiredAsync(s, "nobody", default),
            "rm-missing" => s => StateMaintenance.RemoveAsync(s, Site("nowhere"), context, default),
            "rm-empty" => async s =>
            {
                await s.WriteAsync(SampleStates.Minimal("empty-co", 1, SampleStates.Lineage), context, default);
                await StateMaintenance.RemoveAsync(s, ResourceAddress.ForCompany("empty-co"), context, default);
            },
            "mv-user" => s => StateMaintenance.MoveAsync(s, new("fun-network", ResourceKind.User, "tom.jones"), new("fun-network", ResourceKind.User, "tom.smith"), context, default),
            "mv-kinds" => s => StateMaintenance.MoveAsync(s, Site("london-office"), new("fun-network", ResourceKind.NumberBlock, "london"), context, default),
            "mv-taken" => s => StateMaintenance.MoveAsync(s, Site("london-office"), Site("ipswich-hq"), context, default),
            "mv-missing" => s => StateMaintenance.MoveAsync(s, Site("nowhere"), Site("somewhere"), context, default),
            "rollback-company" => s => StateMaintenance.RollbackAsync(s, "nobody", 1, context, default),
            "rollback-serial" => s => StateMaintenance.RollbackAsync(s, "fun-network", 99, context, default),
            "push-lineage" => s => StateMaintenance.PushFileAsync(s, SampleStates.FunNetwork(4) with { Lineage = SampleStates.OtherLineage, Sites = [] }, null, false, context, default),
            "push-descent" => s => StateMaintenance.PushFileAsync(s, SampleStates.FunNetwork(9) with { Sites = [] }, null, false, context, default),
            "push-nothing-stored" => s => StateMaintenance.PushFileAsync(s, SampleStates.Minimal("new-co", 5, SampleStates.Lineage), 3, false, context, default),
            "migrate" => async s =>
            {
                var to = new LocalStateStore(other.Path);
                await to.WriteAsync(SampleStates.FunNetwork(1), context, default);
                await StateMaintenance.MigrateAsync(s, to, false, context, default);
            },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var (actualCode, message) = await RefusalAsync(act);

        actualCode.Should().Be(code);
        message.Should().Be(expected);
    }
}
