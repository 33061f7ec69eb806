namespace Whc.Declarative.Core.State;

/// <summary>
/// What a store records about its current version without reading the whole document: the serial and lineage a
/// repair builds on when the document itself is damaged. Either may be unknown when even that is unreadable.
/// </summary>
public sealed record StoredVersion(long? Serial, string? Lineage);

/// <summary>
/// An unconditional write that skips the compare-and-swap check, for <c>state push --force</c> and
/// <c>state migrate</c> (which must keep the source's serial and lineage). Every store in this project offers it.
/// </summary>
public interface IForceStateWriter
{
    Task ForceWriteAsync(CompanyState state, StateWriteContext context, CancellationToken cancellationToken);

    /// <summary>The current version's serial and lineage as recorded beside (or atop) the document; null when there is no state.</summary>
    Task<StoredVersion?> ReadStoredVersionAsync(string company, CancellationToken cancellationToken);
}
