namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 26: a state failure's words belong in the catalogue too. A <c>StateException</c> or
/// <c>StateLockLostException</c> is made from a template's <c>With(...)</c> (code and text together), not from a code
/// and free text. The files that still word one at the throw site are listed, each with why; the list only shrinks.
/// </summary>
public class StateExceptionFreeTextTests
{
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["src/Whc.Declarative.Cli/Commands/StateHandler.cs"] = "passes on the state reader's own message, with its code",
        ["src/Whc.Declarative.Engine/CompanySession.cs"] = "passes on a store failure's message with the failure's own code (any code), adding what became of this run's result",
        ["src/Whc.Declarative.Engine/LockGate.cs"] = "passes on the loss the store reported, as the first reason given",
        ["src/Whc.Declarative.State/LocalStateStore.cs"] = "passes on an I/O error's own message, and the lease check's loss as it was worded",
        ["src/Whc.Declarative.WhcApi/WhcHttpSender.cs"] = "a fallback after the gate's own refusal (which names the company and is what the user reads): the sender knows the call, not the company",
    };

    [Fact]
    public void Should_word_state_exceptions_through_templates_outside_the_files_listed()
    {
        var root = RepositoryRoot();
        var sources = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText, StringComparer.Ordinal);

        var found = FreeText.FilesWording(sources).Order(StringComparer.Ordinal).ToList();

        // A file not listed: word the message as a template in DiagnosticCatalog.State.cs and throw it with With(...).
        // A file listed that no longer words one: take it off the list.
        found.Should().Equal(Allowed.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("throw new StateException(DiagnosticCatalog.StateNotFound.Code, $\"no state for company '{company}'\");")]
    [InlineData("throw new StateException(\n    DiagnosticCatalog.StateError.Code,\n    \"words\");")]
    [InlineData("return new StateException(code, message, failure);")]
    [InlineData("throw new StateException(\"words\");")]
    [InlineData("throw new StateLockLostException(company, $\"the lock on {company} was lost\");")]
    [InlineData("throw new StateLockLostException(company, loss.Message);")]
    [InlineData("throw new StateLockLostException($\"{call}: not sent\");")]
    public void Should_find_a_state_exception_worded_at_the_throw_site(string source)
    {
        FreeText.FilesWording(new Dictionary<string, string> { ["a.cs"] = source }).Should().Equal("a.cs");
    }

    [Theory]
    [InlineData("throw new StateException(DiagnosticCatalog.StateNotJson.With(source, e.Message), e);")]
    [InlineData("throw new StateException(\n    flag\n        ? DiagnosticCatalog.StateFieldUnknown.With(source, format, where)\n        : DiagnosticCatalog.StateFormatMismatch.With(source, format, where, e.Message),\n    e);")]
    [InlineData("throw new StateLockLostException(company, DiagnosticCatalog.StateLockLostReleased.With(company, store), e);")]
    [InlineData("throw new StateLockedException(company, holder);")]
    public void Should_not_take_a_templated_state_exception_for_free_text(string source)
    {
        FreeText.FilesWording(new Dictionary<string, string> { ["a.cs"] = source }).Should().BeEmpty();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Whc.Declarative.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root (Whc.Declarative.sln) was not found");
    }

    /// <summary>
    /// Finds <c>new StateException(...)</c> and <c>new StateLockLostException(...)</c> whose message argument is not a
    /// template's <c>With(...)</c>: the argument that carries the message (the first; the second for a lock loss given
    /// its company) must contain <c>.With(</c>. Text, not a compiler: good enough to catch new free text in review.
    /// </summary>
    private static class FreeText
    {
        public static IEnumerable<string> FilesWording(IReadOnlyDictionary<string, string> sources) =>
            sources.Where(source => Calls(source.Value, "new StateException(").Any(args => !args[0].Contains(".With(", StringComparison.Ordinal))
                    || Calls(source.Value, "new StateLockLostException(").Any(args => !args[args.Count > 1 ? 1 : 0].Contains(".With(", StringComparison.Ordinal)))
                .Select(source => source.Key);

        /// <summary>The top-level arguments of each call starting with <paramref name="opening"/>.</summary>
        private static IEnumerable<List<string>> Calls(string text, string opening)
        {
            for (var at = text.IndexOf(opening, StringComparison.Ordinal); at >= 0; at = text.IndexOf(opening, at + 1, StringComparison.Ordinal))
            {
                var args = new List<string>();
                var depth = 0;
                var start = at + opening.Length;
                var inString = false;
                for (var i = start; i < text.Length; i++)
                {
                    var c = text[i];
                    if (inString)
                    {
                        inString = c != '"' || text[i - 1] == '\\';
                        continue;
                    }

                    if (c == '"')
                    {
                        inString = true;
                    }
                    else if (c is '(' or '[' or '{')
                    {
                        depth++;
                    }
                    else if (c is ')' or ']' or '}' && depth > 0)
                    {
                        depth--;
                    }
                    else if (c == ',' && depth == 0)
                    {
                        args.Add(text[start..i].Trim());
                        start = i + 1;
                    }
                    else if (c == ')' && depth == 0)
                    {
                        args.Add(text[start..i].Trim());
                        break;
                    }
                }

                if (args.Count > 0 && args[0].Length > 0)
                {
                    yield return args;
                }
            }
        }
    }
}
