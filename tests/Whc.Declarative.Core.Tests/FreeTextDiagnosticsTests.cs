using System.Reflection;
using System.Text.RegularExpressions;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// A diagnostic's words belong in the catalogue, as a template next to its code (<see cref="DiagnosticTemplate"/>);
/// <see cref="DiagnosticDescriptor.At"/> with free text stays only where the message is data (BT's words, a library's
/// finding, another diagnostic passed on). The files that may still call it are listed here, so new free text is
/// caught in review: the list shrinks as call sites move to templates, and never grows without a reason.
/// </summary>
public class FreeTextDiagnosticsTests
{
    /// <summary>
    /// Files under src/ that may call <c>DiagnosticDescriptor.At(span, text)</c>, each with why: text from elsewhere
    /// passed on (a parser's, an exception's); every message whcctl words itself is a template in the catalogue.
    /// </summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["src/Whc.Declarative.Core/Diagnostics/DiagnosticTemplate.cs"] = "the template mechanism itself: it words the message, then makes the diagnostic",
        ["src/Whc.Declarative.Core/Api/WhcApiDiagnostics.cs"] = "passes a failed API call on: the message is the exception's, worded where the failure was read",
        ["src/Whc.Declarative.Cli/Infrastructure/CommandRuntime.cs"] = "passes on an exception's own words: a saved plan's refusal, an I/O error, the database's error",
        ["src/Whc.Declarative.Cli/Infrastructure/UsageErrors.cs"] = "passes on the command-line parser's own finding (those it does not word itself)",
        ["src/Whc.Declarative.WhcApi/WhcConfigurationException.cs"] = "the standard exception constructors take the caller's message and pass it on",
    };

    [Fact]
    public void Should_call_the_free_text_At_only_in_the_files_listed_and_in_every_file_listed()
    {
        var root = RepositoryRoot();
        var sources = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText, StringComparer.Ordinal);

        var found = FreeTextCalls.FilesCalling(sources).Order(StringComparer.Ordinal).ToList();

        // A file not listed: word the message as a template in the catalogue (or, when it is data, list the file with
        // why). A file listed that no longer calls it: take it off the list.
        found.Should().Equal(Allowed.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_leave_the_manifests_project_without_free_text_diagnostics()
    {
        Allowed.Keys.Should().NotContain(f => f.StartsWith("src/Whc.Declarative.Manifests/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("d.Add(DiagnosticCatalog.YamlSyntax.At(span, \"the YAML cannot be parsed\"));")]
    [InlineData("d.Add(DiagnosticCatalog.YamlSyntax.At(\n    span,\n    $\"the YAML cannot be parsed: {message}\"));")]
    [InlineData("void F(DiagnosticDescriptor descriptor) { d.Add(descriptor.At(span, $\"{what} is used twice\")); }")]
    [InlineData("static DiagnosticDescriptor DescriptorFor(Exception e) => X; Diagnostic G(Exception e) => DescriptorFor(e).At(span, e.Message);")]
    [InlineData("d.Add((flag ? DiagnosticCatalog.EmptyFile : DiagnosticCatalog.NotUtf8Text).At(span, \"words\"));")]
    [InlineData("public static Diagnostic For(string b) => PortedNumbersGivenUp.At(span, $\"block {b}\");")]
    public void Should_find_a_call_that_words_a_message_at_the_call_site(string source)
    {
        FreeTextCalls.FilesCalling(new Dictionary<string, string> { ["a.cs"] = source }).Should().Equal("a.cs");
    }

    [Theory]
    [InlineData("d.Add(DiagnosticCatalog.YamlSyntaxAfterHere.At(lastGood));")]
    [InlineData("d.Add(DiagnosticCatalog.YamlSyntaxFinding.At(span, message));")]
    [InlineData("d.Add((flag ? DiagnosticCatalog.EmptyFileNoText : DiagnosticCatalog.EmptyFileOnlyComments).At(span));")]
    [InlineData("var span = run.At(company, pointer, fallback); var other = At(displayPath, bytes, offset);")]
    [InlineData("DiagnosticTemplate<string> refusal = X; d.Add(refusal.At(span, value));")]
    public void Should_not_take_a_template_or_another_At_for_free_text(string source)
    {
        FreeTextCalls.FilesCalling(new Dictionary<string, string> { ["a.cs"] = source }).Should().BeEmpty();
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
    /// Finds <c>.At(</c> calls whose receiver is a descriptor: a catalogue entry (<c>DiagnosticCatalog.X</c>, or
    /// <c>X</c> inside the catalogue), or a name any source file declares with the type DiagnosticDescriptor (a local,
    /// parameter, property or method), or a parenthesised choice between catalogue entries. Templates are named
    /// otherwise, so their <c>At</c> is not counted. Text, not a compiler: good enough to catch new free text in review.
    /// </summary>
    private static class FreeTextCalls
    {
        private static readonly HashSet<string> CatalogueDescriptors = typeof(DiagnosticCatalog)
            .GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(DiagnosticDescriptor))
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);

        private static readonly Regex DeclaredDescriptor = new(@"\bDiagnosticDescriptor\??\s+(\w+)", RegexOptions.CultureInvariant);

        private static readonly Regex CatalogueEntry = new(@"\bDiagnosticCatalog\.(\w+)\b", RegexOptions.CultureInvariant);

        public static IEnumerable<string> FilesCalling(IReadOnlyDictionary<string, string> sources)
        {
            var declared = sources.Values
                .SelectMany(text => DeclaredDescriptor.Matches(text).Select(m => m.Groups[1].Value))
                .Where(name => !CatalogueDescriptors.Contains(name))
                .ToHashSet(StringComparer.Ordinal);
            return sources.Where(source => Receivers(source.Value).Any(r => IsDescriptor(r, declared))).Select(source => source.Key);
        }

        private static bool IsDescriptor(string receiver, HashSet<string> declared)
        {
            if (receiver.StartsWith('('))
            {
                return CatalogueEntry.Matches(receiver).Any(m => CatalogueDescriptors.Contains(m.Groups[1].Value));
            }

            // The last part of a.b.c or of M(...): what the call is made on.
            var last = receiver.EndsWith(')') ? receiver[..receiver.IndexOf('(', StringComparison.Ordinal)] : receiver;
            last = last[(last.LastIndexOf('.') + 1)..];
            return CatalogueDescriptors.Contains(last) || declared.Contains(last);
        }

        /// <summary>The expression before each <c>.At(</c>: identifiers, dots and balanced (...) or [...].</summary>
        private static IEnumerable<string> Receivers(string text)
        {
            for (var at = text.IndexOf(".At(", StringComparison.Ordinal); at >= 0; at = text.IndexOf(".At(", at + 1, StringComparison.Ordinal))
            {
                var i = at - 1;
                while (i >= 0)
                {
                    var c = text[i];
                    if (c is ')' or ']')
                    {
                        var open = c == ')' ? '(' : '[';
                        var depth = 0;
                        for (; i >= 0; i--)
                        {
                            depth += text[i] == c ? 1 : text[i] == open ? -1 : 0;
                            if (depth == 0)
                            {
                                break;
                            }
                        }

                        i--;
                        continue;
                    }

                    if (char.IsLetterOrDigit(c) || c is '_' or '.')
                    {
                        i--;
                        continue;
                    }

                    break;
                }

                var receiver = text[(i + 1)..at].Trim();
                if (receiver.Length > 0)
                {
                    yield return receiver;
                }
            }
        }
    }
}
