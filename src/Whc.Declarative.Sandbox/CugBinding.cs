namespace Whc.Declarative.Sandbox;

/// <summary>Which resellers (CUGs) a client may act for: those it is bound to, or any when it is unbound.</summary>
internal sealed class CugBinding
{
    private readonly HashSet<string>? _cugs;

    private CugBinding(HashSet<string>? cugs) => _cugs = cugs;

    public static CugBinding Unbound { get; } = new(null);

    /// <summary>For a caller the sandbox cannot place (never expected): it may act for no CUG.</summary>
    public static CugBinding None { get; } = new([]);

    public static CugBinding Of(SandboxClient client) =>
        client.IsBound ? new CugBinding(new HashSet<string>(client.Cugs, StringComparer.Ordinal)) : Unbound;

    public bool Allows(string cug) => _cugs is null || _cugs.Contains(cug);
}
