using NJsonSchema;
using Xunit;

namespace Whc.Declarative.Tests.Tmf;

/// <summary>
/// TM Forum's v4 schemas (TMF622, TMF679, TMF673, TMF639), read from a <c>shared/tmf</c> directory above the test run
/// (<c>../shared/tmf</c> beside the repository in CI). Linked into the test projects that check wire bodies against them.
/// </summary>
public static class TmfSchemas
{
    public static string? Directory { get; } = Find();

    /// <summary>One definition (e.g. <c>ProductOrder_Create</c>) of one schema file (e.g. <c>tmf622-v4.0.0-productorder.defs.json</c>).</summary>
    public static async Task<JsonSchema> DefinitionAsync(string file, string definition)
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(Directory ?? throw new InvalidOperationException("no TMF schemas"), file));
        return schema.Definitions[definition];
    }

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "tmf");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A test that needs the TMF schemas; skipped, saying why, in a clone without them.</summary>
public sealed class TmfFactAttribute : FactAttribute
{
    public TmfFactAttribute()
    {
        if (TmfSchemas.Directory is null)
        {
            Skip = "TM Forum schemas not found in a shared/tmf directory above the test run (they sit in ../shared/tmf beside the repository in CI)";
        }
    }
}
