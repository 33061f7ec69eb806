using System.Globalization;
using System.Reflection;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using SourceSpan = Whc.Declarative.Core.Diagnostics.SourceSpan;

namespace Whc.Declarative.Core.Tests;

public class DiagnosticTemplateTests
{
    private static readonly DiagnosticDescriptor AnError = new("WHC9990", DiagnosticSeverity.Error, "an error for the test");

    private static readonly DiagnosticDescriptor AWarning = new("WHC9991", DiagnosticSeverity.Warning, "a warning for the test");

    private static readonly SourceSpan Here = new("company.yaml", 3, 5);

    [Fact]
    public void Should_give_a_template_without_arguments_its_descriptors_code_and_severity_and_its_own_words()
    {
        var template = AWarning.Template("the file is empty");

        template.At(Here).Should().Be(new Diagnostic("WHC9991", DiagnosticSeverity.Warning, Here, "the file is empty"));
        template.Descriptor.Should().BeSameAs(AWarning);
        template.Message.Should().Be("the file is empty");
    }

    [Fact]
    public void Should_put_each_typed_argument_where_the_template_names_it()
    {
        var one = AnError.Template((string key) => $"key '{key}' twice");
        var two = AnError.Template((string key, int line) => $"key '{key}' twice (first at line {line})");
        var three = AnError.Template((string a, string b, string c) => $"{a}-{b}-{c}");
        var four = AnError.Template((string a, string b, string c, string d) => $"{a}-{b}-{c}-{d}");
        var five = AnError.Template((string a, string b, string c, string d, string e) => $"{a}-{b}-{c}-{d}-{e}");

        one.At(Here, "name").Message.Should().Be("key 'name' twice");
        two.At(Here, "name", 7).Message.Should().Be("key 'name' twice (first at line 7)");
        three.At(Here, "a", "b", "c").Message.Should().Be("a-b-c");
        four.At(Here, "a", "b", "c", "d").Message.Should().Be("a-b-c-d");
        five.At(Here, "a", "b", "c", "d", "e").Message.Should().Be("a-b-c-d-e");
        five.Message("1", "2", "3", "4", "5").Should().Be("1-2-3-4-5");
    }

    [Fact]
    public void Should_take_code_severity_and_span_from_the_descriptor_and_call_site_for_every_arity()
    {
        Diagnostic[] made =
        [
            AWarning.Template("w").At(Here),
            AWarning.Template((int a) => $"{a}").At(Here, 1),
            AWarning.Template((int a, int b) => $"{a}{b}").At(Here, 1, 2),
            AWarning.Template((int a, int b, int c) => $"{a}{b}{c}").At(Here, 1, 2, 3),
            AWarning.Template((int a, int b, int c, int d) => $"{a}{b}{c}{d}").At(Here, 1, 2, 3, 4),
            AWarning.Template((int a, int b, int c, int d, int e) => $"{a}{b}{c}{d}{e}").At(Here, 1, 2, 3, 4, 5),
        ];

        made.Should().OnlyContain(d => d.Code == "WHC9991" && d.Severity == DiagnosticSeverity.Warning && d.Span == Here);
        made.Select(d => d.Message).Should().Equal("w", "1", "12", "123", "1234", "12345");
    }

    [Fact]
    public void Should_make_the_same_diagnostic_as_the_descriptor_given_the_same_words()
    {
        var template = AnError.Template((string name) => $"no such file: {name}");

        template.At(Here, "a.yaml").Should().Be(AnError.At(Here, "no such file: a.yaml"));
        template.At(Here, "a.yaml").ToString().Should().Be("company.yaml(3,5): error WHC9990: no such file: a.yaml");
    }

    [Fact]
    public void Should_leave_quoted_user_text_as_the_call_site_gave_it_so_the_diagnostic_still_escapes_it_when_shown()
    {
        var template = AnError.Template((string value) => $"value '{value}' is not allowed");

        var made = template.At(Here, "a\nb");

        made.Message.Should().Be("value 'a\nb' is not allowed");
        made.ToString().Should().Be("company.yaml(3,5): error WHC9990: value 'a\\nb' is not allowed");
    }

    /// <summary>Every template the catalogue declares, found by the test's own reflection (the product uses none).</summary>
    public static TheoryData<string> CatalogueTemplates() =>
        [.. TemplateProperties().Select(p => p.Name)];

    private static IEnumerable<PropertyInfo> TemplateProperties() => typeof(DiagnosticCatalog)
        .GetProperties(BindingFlags.Public | BindingFlags.Static)
        .Where(p => p.PropertyType == typeof(DiagnosticTemplate) || p.PropertyType.Name.StartsWith("DiagnosticTemplate`", StringComparison.Ordinal))
        .OrderBy(p => p.Name, StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(CatalogueTemplates))]
    public void Should_declare_each_catalogue_template_on_a_catalogue_entry_and_word_numbers_the_same_in_every_culture(string name)
    {
        var property = TemplateProperties().Single(p => p.Name == name);
        var template = property.GetValue(null)!;
        var descriptor = (DiagnosticDescriptor)property.PropertyType.GetProperty("Descriptor")!.GetValue(template)!;
        DiagnosticCatalog.All.Should().Contain(descriptor, "a template words a code of the catalogue");

        var message = property.PropertyType.GetProperty("Message") is { } constant
            ? (string)constant.GetValue(template)!
            : (string)property.PropertyType.GetMethod("Message")!.Invoke(template, [.. property.PropertyType.GetGenericArguments().Select(Sample)])!;
        var original = CultureInfo.CurrentCulture;
        string inCommaCulture;
        try
        {
            CultureInfo.CurrentCulture = CommaCulture();
            inCommaCulture = property.PropertyType.GetProperty("Message") is { } again
                ? (string)again.GetValue(template)!
                : (string)property.PropertyType.GetMethod("Message")!.Invoke(template, [.. property.PropertyType.GetGenericArguments().Select(Sample)])!;
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        // A number in a message reads the same on every machine: the template formats it invariantly.
        inCommaCulture.Should().Be(message);
        message.Should().NotContain("\n").And.NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Should_see_a_template_that_formats_numbers_in_the_current_culture_as_differing()
    {
        // The check above can fail: a template without string.Create(CultureInfo.InvariantCulture, ...) words 1.5 as "1,5".
        var careless = AnError.Template((double size) => $"{size:0.0} MiB");
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CommaCulture();
            careless.Message(1.5).Should().Be("1,5 MiB");
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    /// <summary>A culture that writes 1.5 as "1,5" and 1234 as "1.234", built from the invariant one (no ICU needed).</summary>
    private static CultureInfo CommaCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        return culture;
    }

    private static object? Sample(Type type) =>
        type == typeof(string) ? "value"
        : type == typeof(int) || type == typeof(int?) ? 1234
        : type == typeof(long) || type == typeof(long?) ? 1234567L
        : type == typeof(double) ? 1.5
        : type == typeof(decimal) || type == typeof(decimal?) ? 1.5m
        : type == typeof(bool) ? true
        : type.IsAssignableFrom(typeof(string[])) ? new[] { "a", "b" }
        : type == typeof(DiagnosticCatalog.PortedOverlap) ? new DiagnosticCatalog.PortedOverlap("01214960500", "01214960509", "brum", "01214960505", "01214960510", "old", "other-co", "line 3")
        : type == typeof(Whc.Declarative.Core.Api.EndpointName) ? Whc.Declarative.Core.Api.EndpointName.Of("https://api.example.test:8443")
        : type == typeof(DateTimeOffset) ? new DateTimeOffset(2026, 3, 10, 12, 30, 0, TimeSpan.Zero)
        : type == typeof(TimeSpan) ? TimeSpan.FromMilliseconds(1234.5)
        : type == typeof(ResourceAddress) ? new ResourceAddress("acme", ResourceKind.User, "u1234")
        : type.IsAssignableFrom(typeof(ResourceAddress[])) ? new[] { new ResourceAddress("acme", ResourceKind.Site, "hq") }
        : type == typeof(NumberRange) ? new NumberRange("01214961234", "01214961299")
        : type.IsAssignableFrom(typeof(NumberRange[])) ? new[] { new NumberRange("01214961234", "01214961299") }
        : type.IsAssignableFrom(typeof((string, string)[])) ? new[] { ("u1234", "01214961234"), ("u2", "01214961235") }
        : type == typeof(AttributeChange) ? new AttributeChange("name", new TextValue("Acme"), new NumberValue(1234))
        : type == typeof(SiteAddressState) ? new SiteAddressState("IP1 1AA", "Unit 4")
        : type == typeof(AddressSpec) ? new AddressSpec("IP1 1AA", "Unit 5", null, null, null)
        : type == typeof(SiteState) ? new SiteState("hq", "LOC-hq", "A00001234", "SI-1") { FoundBy = new SiteAddressState("IP1 1AA", "Unit 4") }
        : type == typeof(NumberBlockState) ? new NumberBlockState("main", "0121", 1234, [new NumberRangeState("01214960000", "01214961233", true, "NR-1")])
        : type == typeof(LockFence) ? new LockFence("lock-1", 1234)
        : type == typeof((long, string)) ? (1234L, "l-1")
        : type == typeof((long, string?)) ? (1235L, "l-2")
        : type.IsAssignableFrom(typeof(int[])) && type != typeof(object) ? new[] { 1234, 5678 }
        : type == typeof(DiagnosticCatalog.MigrateClash) ? new DiagnosticCatalog.MigrateClash("acme", "local directory /state", null, "l-1", 1234, "l-2")
        : type == typeof(LockInfo) ? new LockInfo("L-1", "ann", "ci-3", 1234, "apply", new DateTimeOffset(2026, 3, 10, 12, 30, 0, TimeSpan.Zero))
        : throw new InvalidOperationException($"add a sample value of {type} for the template tests");
}
