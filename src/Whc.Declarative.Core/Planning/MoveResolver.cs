using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>A rename a <c>moved</c> entry makes in state: the resource state held under <see cref="From"/> is now <see cref="To"/>.</summary>
public sealed record ResourceMove(ResourceKind Kind, string From, string To);

/// <summary>
/// Applies a manifest's <c>moved</c> entries to the company's state before planning, as Terraform applies its moved
/// blocks to the prior state: a site or block state holds under an old name is renamed to the name the manifest gives
/// it (chains followed to their end), so the planner sees it as the same resource. An entry whose from state does not
/// hold does nothing. State that holds both ends, or two sources of one end, or an unfinished order on the source,
/// cannot be moved: an error (WHC3040).
/// </summary>
internal static class MoveResolver
{
    public sealed record Result(CompanyState? State, ImmutableArray<ResourceMove> Moves, ImmutableArray<Diagnostic> Diagnostics);

    public static Result Apply(CompanyManifest desired, CompanyState? state)
    {
        if (state is null || desired.Moved.IsDefaultOrEmpty)
        {
            return new Result(state, [], []);
        }

        // Entries the validator refuses are skipped here, so planning never trips on them.
        var next = new Dictionary<(ResourceKind Kind, string From), (string To, SourceSpan Span)>();
        foreach (var entry in desired.Moved)
        {
            if (MoveSpec.Parse(entry.From) is { Kind: ResourceKind.Site or ResourceKind.NumberBlock } from
                && MoveSpec.Parse(entry.To) is { } to && to.Kind == from.Kind && to.Name != from.Name)
            {
                next.TryAdd((from.Kind, from.Name), (to.Name, entry.Span));
            }
        }

        bool InState(CompanyState s, ResourceKind kind, string name) => kind == ResourceKind.Site
            ? s.Sites.Any(site => site.Name == name)
            : s.NumberBlocks.Any(block => block.Name == name);

        // Each source state holds, followed to the end of its chain (a cycle leads nowhere).
        var bySource = new List<(ResourceKind Kind, string From, string To, SourceSpan Span)>();
        foreach (var ((kind, from), (to, span)) in next.OrderBy(kv => kv.Key.Kind).ThenBy(kv => kv.Key.From, StringComparer.Ordinal))
        {
            if (!InState(state, kind, from))
            {
                continue;
            }

            var end = to;
            var seen = new HashSet<string>(StringComparer.Ordinal) { from };
            while (next.TryGetValue((kind, end), out var link) && seen.Add(end))
            {
                end = link.To;
            }

            if (seen.Contains(end))
            {
                continue;
            }

            bySource.Add((kind, from, end, span));
        }

        var moves = ImmutableArray.CreateBuilder<ResourceMove>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var moved = state;
        foreach (var group in bySource.GroupBy(m => (m.Kind, m.To)))
        {
            var (kind, to) = group.Key;
            var segment = ResourceAddress.KindSegment(kind);
            var sources = group.ToList();
            if (InState(state, kind, to))
            {
                diagnostics.Add(DiagnosticCatalog.MoveBothEndsInState.At(sources[0].Span, segment, sources[0].From, to, state.Company));
                continue;
            }

            if (sources.Count > 1)
            {
                diagnostics.Add(DiagnosticCatalog.MoveSourcesMeet.At(sources[0].Span, segment, [.. sources.Select(s => s.From)], to));
                continue;
            }

            // An unfinished order names the resource by its old name, and the planner carries it as it is: renaming
            // under it would have the order's result recorded under a name the manifest no longer has.
            var source = new ResourceAddress(state.Company, kind, sources[0].From);
            if (state.Orders.Where(o => !o.IsFinal).FirstOrDefault(o => o.ResourceAddresses.Contains(source)) is { } order)
            {
                diagnostics.Add(DiagnosticCatalog.MoveOrderUnfinished.At(sources[0].Span, segment, sources[0].From, to, order.Id));
                continue;
            }

            moved = moved.Renamed(kind, sources[0].From, to);
            moves.Add(new ResourceMove(kind, sources[0].From, to));
        }

        return new Result(moved, moves.ToImmutable(), diagnostics.ToImmutable());
    }
}
