using System.Reflection;
using System.Text.RegularExpressions;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Core.Tests;

public class DiagnosticCatalogTests
{
    private static readonly PropertyInfo[] DescriptorProperties = typeof(DiagnosticCatalog)
        .GetProperties(BindingFlags.Public | BindingFlags.Static)
        .Where(p => p.PropertyType == typeof(DiagnosticDescriptor))
        .ToArray();

    private static DiagnosticDescriptor Of(PropertyInfo property) => (DiagnosticDescriptor)property.GetValue(null)!;

    [Fact]
    public void Should_list_every_descriptor_sorted_by_code()
    {
        DiagnosticCatalog.All.Should().HaveCount(DescriptorProperties.Length);
        DiagnosticCatalog.All.Select(d => d.Code).Should().BeInAscendingOrder(StringComparer.Ordinal);
        DiagnosticCatalog.All.Should().Contain([DiagnosticCatalog.CompanyAlreadyRegistered, DiagnosticCatalog.StateLocked, DiagnosticCatalog.YamlSyntax]);
    }

    [Fact]
    public void Should_give_every_descriptor_a_unique_code() =>
        DiagnosticCatalog.All.Select(d => d.Code).Should().OnlyHaveUniqueItems();

    [Fact]
    public void Should_give_every_descriptor_a_well_formed_code_and_a_title() =>
        DiagnosticCatalog.All.Should().AllSatisfy(d =>
        {
            d.Code.Should().MatchRegex(@"^WHC[1-5]\d{3}$");
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
