namespace Whc.Declarative.Manifests.Validation;

/// <summary>Levenshtein distance, for "did you mean" hints.</summary>
internal static class EditDistance
{
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The candidate closest to <paramref name="input"/> when it is close enough to be a likely typo.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        var limit = Math.Max(2, input.Length / 3);
        return candidates
            .Select(candidate => (Candidate: candidate, Distance: Between(input, candidate)))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }
}
