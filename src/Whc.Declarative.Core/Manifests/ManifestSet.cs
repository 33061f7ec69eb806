using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Core.Manifests;

/// <summary>What loading a set of manifest files produced: the companies that could be read and every diagnostic found.</summary>
public sealed record ManifestSet(ImmutableArray<CompanyManifest> Companies, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
