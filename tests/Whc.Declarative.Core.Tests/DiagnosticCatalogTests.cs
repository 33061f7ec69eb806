using System.Reflection;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using SourceSpan = Whc.Declarative.Core.Diagnostics.SourceSpan;
using Markdig.Syntax.Inlines;
using System.Text.RegularExpressions;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Core.Tests;

public class DiagnosticCatalogTests
{
    // The test's own look at the catalogue's properties; the catalogue itself lists its entries without reflection.
    private static readonly PropertyInfo[] DescriptorProperties = typeof(DiagnosticCatalog)
        .GetProperties(BindingFlags.Public | BindingFlags.Static)
        .Where(p => p.PropertyType == typeof(DiagnosticDescriptor))
        .ToArray();

    private static DiagnosticDescriptor Of(PropertyInfo property) => (DiagnosticDescriptor)property.GetValue(null)!;

    /// <summary>
    /// The README's codes table, read as Markdown (Markdig, pinned in Directory.Packages.props): the list users and
    /// scripts go by, checked in and reviewed, so the catalogue is compared against something other than itself.
    /// Each row: code, severity, meaning.
    /// </summary>
    private static List<(string Code, string Severity, string Meaning)> ReadmeCodes()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var document = Markdown.Parse(readme, new MarkdownPipelineBuilder().UsePipeTables().Build());
        var table = document.Descendants<Table>().Single(t => Cells((TableRow)t[0]).SequenceEqual(["Code", "Severity", "Meaning"]));
        return [.. table.Skip(1).Cast<TableRow>().Select(Cells).Select(c => (c[0], c[1], c[2]))];
    }

    private static List<string> Cells(TableRow row) =>
        [.. row.Cast<TableCell>().Select(cell => string.Concat(cell.Descendants<LiteralInline>().Select(l => l.Content.ToString())).Trim())];

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Whc.Declarative.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root (Whc.Declarative.sln) was not found");
    }

    private static string SeverityWord(DiagnosticSeverity severity) => severity == DiagnosticSeverity.Error ? "error" : "warning";

    [Fact]
    public void Should_hold_exactly_the_codes_the_README_table_lists_with_their_severity_and_meaning()
    {
        // Rows for a former code say which code took its place, and are checked by the alias test below.
        var listed = ReadmeCodes().Where(r => !r.Meaning.StartsWith("former code of ", StringComparison.Ordinal)).ToList();

        DiagnosticCatalog.All.Select(d => (d.Code, SeverityWord(d.Severity), d.Title)).Should().Equal(listed);
    }

    [Fact]
    public void Should_list_every_former_code_in_the_README_table_as_pointing_to_the_code_that_took_its_place()
    {
        var formers = ReadmeCodes().Where(r => r.Meaning.StartsWith("former code of ", StringComparison.Ordinal)).ToList();

        formers.Select(r => r.Code).Should().Equal(DiagnosticCatalog.All.SelectMany(d => d.Aliases).Order(StringComparer.Ordinal));
        formers.Should().AllSatisfy(r => r.Meaning.Should().StartWith($"former code of {DiagnosticCatalog.Find(r.Code)?.Code}: "));
    }

    [Fact]
    public void Should_list_every_descriptor_it_defines_sorted_by_code()
    {
        DiagnosticCatalog.All.Should().BeEquivalentTo(DescriptorProperties.Select(Of));
        DiagnosticCatalog.All.Select(d => d.Code).Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public void Should_give_every_descriptor_a_unique_code_and_no_alias_a_code_in_use() =>
        DiagnosticCatalog.All.SelectMany(d => d.Aliases.Prepend(d.Code)).Should().OnlyHaveUniqueItems();

    [Fact]
    public void Should_give_every_descriptor_a_well_formed_code_and_a_title() =>
        DiagnosticCatalog.All.Should().AllSatisfy(d =>
        {
            d.Code.Should().MatchRegex(@"^WHC[1-6]\d{3}$");
            d.Title.Should().NotBeNullOrWhiteSpace();
        });

    public static TheoryData<string, string> Ranges => new()
    {
        // property name prefix → code pattern of its range
        { "Api", @"^WHC40[0-4]\d$" },
        { "Sandbox", @"^WHC409\d$" },
        { "State", @"^WHC5\d{3}$" },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Should_keep_each_family_of_descriptors_in_its_range(string prefix, string pattern)
    {
        var family = DescriptorProperties.Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal) && !(prefix == "State" && p.Name.StartsWith("Stale", StringComparison.Ordinal))).ToList();
        family.Should().NotBeEmpty();
        family.Should().AllSatisfy(p => Regex.IsMatch(Of(p).Code, pattern).Should().BeTrue($"{p.Name} ({Of(p).Code}) belongs to {pattern}"));
    }

    [Fact]
    public void Should_keep_plan_diagnostics_in_the_3xxx_range()
    {
        DiagnosticDescriptor[] plan =
        [
            DiagnosticCatalog.CompanyAlreadyRegistered, DiagnosticCatalog.DomainAlreadyRegistered, DiagnosticCatalog.ImmutableFieldChanged,
            DiagnosticCatalog.ProtectedResourceDelete, DiagnosticCatalog.UsernameTaken, DiagnosticCatalog.SiteAddressAmbiguous,
            DiagnosticCatalog.NumberBlockShrunk, DiagnosticCatalog.NumberBlockTooSmall, DiagnosticCatalog.QualificationExpiring,
            DiagnosticCatalog.OrderFailedReplanned, DiagnosticCatalog.UnknownTarget, DiagnosticCatalog.NotInManifests, DiagnosticCatalog.OptionsConflict,
        ];
        plan.Should().AllSatisfy(d => d.Code.Should().StartWith("WHC3"));
    }

    [Fact]
    public void Should_keep_the_command_lines_own_codes_in_the_6xxx_range_and_find_them_by_their_former_plan_range_codes()
    {
        // Issue 26: a usage error and an internal error are not about a plan.
        DiagnosticCatalog.UsageInvalid.Code.Should().Be("WHC6001");
        DiagnosticCatalog.InternalError.Code.Should().Be("WHC6002");

        DiagnosticCatalog.Find("WHC3017").Should().BeSameAs(DiagnosticCatalog.UsageInvalid);
        DiagnosticCatalog.Find("WHC3018").Should().BeSameAs(DiagnosticCatalog.InternalError);
        DiagnosticCatalog.Find("WHC6001").Should().BeSameAs(DiagnosticCatalog.UsageInvalid);
        DiagnosticCatalog.Find("WHC3013").Should().BeSameAs(DiagnosticCatalog.NotInManifests);
        DiagnosticCatalog.Find("WHC3019").Should().BeNull();
    }

    [Fact]
    public void Should_render_a_diagnostic_as_an_editor_friendly_line()
    {
        var diagnostic = DiagnosticCatalog.DuplicateExtension.At(new SourceSpan("examples/acme/company.yaml", 12, 7), "extension 2001 is used twice");
        diagnostic.ToString().Should().Be("examples/acme/company.yaml(12,7): error WHC2003: extension 2001 is used twice");
        DiagnosticCatalog.NotInManifests.At(SourceSpan.None, "left alone").ToString().Should().Be("warning WHC3013: left alone");
    }
}

public class DiagnosticLineTests
{
    [Fact]
    public void Should_keep_a_diagnostic_on_one_line_whatever_its_message_or_file_name_holds()
    {
        // Given a message and a file name holding a newline, a workflow command and terminal escape sequences
        var diagnostic = new Whc.Declarative.Core.Diagnostics.Diagnostic(
            "WHC2021",
            Whc.Declarative.Core.Diagnostics.DiagnosticSeverity.Error,
            new Whc.Declarative.Core.Diagnostics.SourceSpan("bad\r\n::error::x.yaml", 9, 12),
            "CUG id 'CUG5019851064\n::add-mask::secret\u001b[2K\u009b1A' is not valid");

        // When it is written as a line
        var line = diagnostic.ToString();

        // Then no control character survives: nothing can start a line or move the cursor
        line.Should().NotContainAny("\n", "\r", "\u001b", "\u009b");
        line.Should().Contain("CUG5019851064\\n::add-mask::secret\\u001B[2K\\u009B1A").And.Contain("bad\\r\\n::error::x.yaml(9,12)");
    }

    [Fact]
    public void Should_escape_characters_that_reorder_or_hide_text_and_shorten_a_huge_message()
    {
        // Given a message quoting a value with a bidi override, a zero-width space and a line separator, and 50,000 more characters
        var diagnostic = DiagnosticCatalog.UsernameTaken.At(Whc.Declarative.Core.Diagnostics.SourceSpan.None, "username 'admin\u202Enigeb\u200B\u2028x' is taken" + new string('y', 50_000));

        // When it is written as a line
        var line = diagnostic.ToString();

        // Then the characters are shown as escapes, and the line is cut, saying by how much
        line.Should().Contain("admin\\u202Enigeb\\u200B\\u2028x").And.NotContainAny("\u202E", "\u200B", "\u2028");
        line.Length.Should().BeLessThan(1_200);
        line.Should().EndWith("more characters)");
    }
}

public class UnsafeCharacterTests
{
    [Theory]
    [InlineData(0x0000)] // NUL
    [InlineData(0x0009)] // tab: no manifest field is multi-line or tabular
    [InlineData(0x000A)]
    [InlineData(0x000D)]
    [InlineData(0x001B)] // escape
    [InlineData(0x007F)] // delete
    [InlineData(0x0085)] // next line (C1)
    [InlineData(0x009B)] // control sequence introducer (C1)
    [InlineData(0x00AD)] // soft hyphen
    [InlineData(0x061C)] // Arabic letter mark
    [InlineData(0x115F)] // Hangul choseong filler
    [InlineData(0x180E)] // Mongolian vowel separator
    [InlineData(0x200B)]
    [InlineData(0x200C)]
    [InlineData(0x200D)]
    [InlineData(0x200E)]
    [InlineData(0x200F)]
    [InlineData(0x2028)]
    [InlineData(0x2029)]
    [InlineData(0x202A)]
    [InlineData(0x202E)]
    [InlineData(0x2060)]
    [InlineData(0x2066)]
    [InlineData(0x2069)]
    [InlineData(0x3164)] // Hangul filler
    [InlineData(0xFEFF)]
    [InlineData(0xFFF9)] // interlinear annotation anchor
    [InlineData(0xFFFE)] // noncharacter
    [InlineData(0xE0041)] // tag latin capital letter A ("ASCII smuggling")
    public void Should_find_control_bidi_and_invisible_characters(int codePoint)
    {
        var text = "Fun" + char.ConvertFromUtf32(codePoint) + "Network";

        var found = UnsafeCharacters.Find(text);

        found.Should().Be((3, codePoint));
        UnsafeCharacters.Describe(codePoint).Should().StartWith(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"U+{codePoint:X4} "));
    }

    [Theory]
    [InlineData("TheFunNetwork")]
    [InlineData("Café Zoë & Söhne")]
    [InlineData("株式会社 テスト")]
    [InlineData("مرحبا")] // right-to-left text itself is fine; only the invisible controls are not
    [InlineData("Ｆｕｌｌｗｉｄｔｈ")]
    [InlineData("😀 emoji")]
    [InlineData("O'Brien-Smith (UK) Ltd.")]
    [InlineData("non\u00A0breaking")]
    public void Should_accept_ordinary_text_in_any_script(string text) => UnsafeCharacters.Find(text).Should().BeNull();

    [Fact]
    public void Should_find_a_lone_surrogate()
    {
        UnsafeCharacters.Find("ab\uD800c").Should().Be((2, 0xD800));
        UnsafeCharacters.Find("ab\uDC00").Should().Be((2, 0xDC00));
    }

    [Fact]
    public void Should_name_the_character_and_its_class()
    {
        UnsafeCharacters.Describe(0x202E).Should().Be("U+202E (right-to-left override, a bidi control)");
        UnsafeCharacters.Describe(0x200B).Should().Be("U+200B (zero width space, an invisible character)");
        UnsafeCharacters.Describe(0x000A).Should().Be("U+000A (line feed, a control character)");
        UnsafeCharacters.Describe(0xE0041).Should().Be("U+E0041 (an invisible format character)");
    }

    [Fact]
    public void Should_escape_bidi_and_invisible_characters_in_a_diagnostic_line()
    {
        // Given a message quoting text with a right-to-left override, a zero-width space and an invisible tag character
        var diagnostic = new Diagnostic("WHC2030", DiagnosticSeverity.Error, SourceSpan.FileOnly("a.yaml"), "'evil\u202Etxt.exe\u200B\U000E0041'");

        // Then none of them is written raw
        diagnostic.ToString().Should().Be("a.yaml: error WHC2030: 'evil\\u202Etxt.exe\\u200B\\uDB40\\uDC41'");
    }

    [Fact]
    public void Should_never_start_a_line_with_a_workflow_command_whatever_the_file_is_called()
    {
        var diagnostic = DiagnosticCatalog.UsernameTaken.At(new Whc.Declarative.Core.Diagnostics.SourceSpan("::add-mask::x.yaml", 1, 1), "taken");

        diagnostic.ToString().Should().Be("./::add-mask::x.yaml(1,1): error WHC3005: taken");
    }
}
