using System.Globalization;

namespace Whc.Declarative.Core.State;

/// <summary>
/// What a state read from a store must hold before anything plans with it: a state edited by hand, pushed from a
/// file or damaged on disk is refused (WHC5003, naming each problem) rather than crashing a later step or planning
/// against duplicates. Pure: the stores call it after parsing.
/// </summary>
public static class StateValidation
{
    /// <summary>The problems of <paramref name="state"/>, read where <paramref name="company"/> is kept (null: anywhere).</summary>
    public static IReadOnlyList<string> Problems(CompanyState state, string? company)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        if (company is not null && state.Company != company)
        {
            problems.Add($"it holds company '{state.Company}', not '{company}' where it is kept");
        }

        // Every write adds one to the serial: long.MaxValue could never be followed.
        if (state.Serial is < 0 or long.MaxValue)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"serial {state.Serial} is out of range (0 to {long.MaxValue - 1})"));
        }

        if (!Guid.TryParseExact(state.Lineage, "D", out _))
        {
            problems.Add($"lineage '{state.Lineage}' is not a UUID");
        }

        Unique(problems, "number block", state.NumberBlocks.Select(b => b.Name));
        Unique(problems, "site", state.Sites.Select(s => s.Name));
        Unique(problems, "user", state.Users.Select(u => u.Username));
        Unique(problems, "order", state.Orders.Select(o => o.Id));
        Unique(problems, "intent", state.Intents.Select(i => i.Id));
        return problems;
    }

    private static void Unique(List<string> problems, string kind, IEnumerable<string?> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name))
            {
                problems.Add($"a {kind} has no name");
            }
            else if (!seen.Add(name))
            {
                problems.Add($"{kind} '{name}' is recorded twice");
            }
        }
    }
}
