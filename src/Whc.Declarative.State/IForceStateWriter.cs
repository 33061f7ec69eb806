using Whc.Declarative.Core.State;

namespace Whc.Declarative.State;

/// <summary>
/// An unconditional write that skips the compare-and-swap check, for <c>state push --force</c> and
/// <c>state migrate</c> (which must keep the source's serial and lineage). Every store in this project offers it.
/// </summary>
public interface IForceStateWriter
{
    Task ForceWriteAsync(CompanyState state, StateWriteContext context, CancellationToken cancellationToken);
}
