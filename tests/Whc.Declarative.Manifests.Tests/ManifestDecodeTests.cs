using System.Text;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// Where a manifest's bytes stop being UTF-8, pinned for every kind of malformed sequence: the check that finds it
/// moved from a walk over every character to one vectorised sweep (walking only text that fails it), and must point
/// at the same byte as before. Written against the walk and passing there too.
/// </summary>
public sealed class ManifestDecodeTests
{
    private static readonly byte[] Head = Encoding.UTF8.GetBytes("kind: Company\n# é ✓ 😀\nname: ");

    [Theory]
    [InlineData(new byte[] { 0x80 }, "lone continuation byte")]
    [InlineData(new byte[] { 0xC0, 0x80 }, "overlong NUL")]
    [InlineData(new byte[] { 0xC1, 0xBF }, "overlong two-byte")]
    [InlineData(new byte[] { 0xE0, 0x80, 0x80 }, "overlong three-byte")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "encoded surrogate")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "above U+10FFFF")]
    [InlineData(new byte[] { 0xF5, 0x80, 0x80, 0x80 }, "lead byte F5")]
    [InlineData(new byte[] { 0xFF }, "byte FF")]
    [InlineData(new byte[] { 0xE2, 0x82 }, "truncated three-byte")]
    [InlineData(new byte[] { 0xE2, 0x28, 0xA1 }, "bad continuation")]
    public void A_malformed_sequence_is_refused_at_its_first_byte(byte[] bad, string what)
    {
        var bytes = Head.Concat(bad).Concat("x\n"u8.ToArray()).ToArray();

        var diagnostic = ManifestLoader.ParseBytes("a.yaml", bytes).Diagnostics.Should().ContainSingle(what).Subject;

        diagnostic.ToString().Should().Be("a.yaml(3,7): error WHC1005: the file is not valid UTF-8 text; save it as UTF-8");
    }

    [Fact]
    public void A_sequence_cut_off_at_the_end_of_the_file_is_refused_where_it_starts()
    {
        var bytes = Head.Concat(new byte[] { (byte)'a', 0xF0, 0x9F, 0x98 }).ToArray();

        ManifestLoader.ParseBytes("a.yaml", bytes).Diagnostics.Should().ContainSingle().Subject.ToString()
            .Should().Be("a.yaml(3,8): error WHC1005: the file is not valid UTF-8 text; save it as UTF-8");
    }

    [Fact]
    public void A_malformed_byte_after_a_byte_order_mark_is_placed_in_the_text_after_the_mark()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, (byte)'a', (byte)'\n', (byte)'b', (byte)'c', 0xC3, 0x28];

        ManifestLoader.ParseBytes("a.yaml", bytes).Diagnostics.Should().ContainSingle().Subject.ToString()
            .Should().Be("a.yaml(2,3): error WHC1005: the file is not valid UTF-8 text; save it as UTF-8");
    }

    [Fact]
    public void Valid_multi_byte_text_is_read_as_it_is()
    {
        var text = "apiVersion: whc.declarative/v1\nkind: Company\n# é ✓ 😀 ｊａｎｅ\n";

        var set = ManifestLoader.ParseBytes("a.yaml", Encoding.UTF8.GetBytes(text));

        set.Diagnostics.Should().NotContain(d => d.Code == "WHC1005");
    }
}
