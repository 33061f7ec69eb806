using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Files;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// A saved plan (<c>plan --out FILE</c>): the whole plan, including each company's manifest, the state serial and
/// lineage and the inventory fingerprint it was made from, what BT answered about an interrupted run's calls, the
/// request it was made with (paths, mode, options), and a hash of all of it. The hash catches an accidental edit; it
/// cannot stop someone who can rewrite the file, so apply also derives the plan again from the request and refuses any
/// difference (<see cref="ApplyPreconditions.ReDerivedDifferenceAsync"/>). Holds no secret: the plan model has none,
/// and the endpoint is recorded by name or URL only.
/// </summary>
public sealed record PlanFile(int FormatVersion, string WhcctlVersion, string Endpoint, string PlanHash, Plan Plan, PlanRequest Request)
{
    /// <summary>
    /// 4: steps are tagged by type with their own payload, and step ids are stored by their parts; 3: the request is
    /// recorded, for apply to derive the plan again (2: the hash covered the whole plan).
    /// </summary>
    public const int CurrentFormatVersion = 4;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), PlanStepJson.Steps, PlanStepJson.Ids },
    };

    public static PlanFile Create(Plan plan, string endpoint, string whcctlVersion, PlanRequest request) =>
        new(CurrentFormatVersion, whcctlVersion, endpoint, HashOf(plan, endpoint, request), plan, request);

    /// <summary>A hash of the plan, the endpoint and the request, as they are serialised in the file.</summary>
    public static string HashOf(Plan plan, string endpoint, PlanRequest request)
    {
        var content = JsonSerializer.Serialize(new { endpoint, plan, request }, Options);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>One company's part of a plan as the file holds it: how two plans are compared.</summary>
    public static string Canonical(CompanyPlan company) => JsonSerializer.Serialize(company, Options);

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>
    /// Writes the file atomically, so a reader never sees half a plan, through a temporary file of its own (never
    /// through a link planted beside the target).
    /// </summary>
    public void Save(string path) => AtomicFile.Write(path, ToJson());

    /// <summary>Reads a saved plan; a file that is not one, or of another format version, is refused with a reason.</summary>
    public static PlanFile Load(string path)
    {
        PlanFile? file;
        try
        {
            file = JsonSerializer.Deserialize<PlanFile>(GuardedFile.ReadAllText(path, FileInput.PlanFile), Options);
        }
        catch (FileInputException e)
        {
            throw new PlanFileException(e.Message, e);
        }
        catch (JsonException e)
        {
            throw new PlanFileException($"{path} is not a whcctl plan file: {e.Message}");
        }

        if (file is null || file.Plan is null || file.Request is null)
        {
            throw new PlanFileException($"{path} is not a whcctl plan file");
        }

        if (file.FormatVersion != CurrentFormatVersion)
        {
            throw new PlanFileException($"{path} is a plan of format {file.FormatVersion}; this whcctl reads format {CurrentFormatVersion}: plan again with this version");
        }

        if (HashOf(file.Plan, file.Endpoint, file.Request) != file.PlanHash)
        {
            throw new PlanFileException($"{path} has been altered since it was saved (its plan hash does not match)");
        }

        return file;
    }

    /// <summary>A file on disk looks like a saved plan (rather than a manifest) when it is JSON with our format field.</summary>
    public static bool LooksLikePlanFile(string path)
    {
        // Told without opening it: peeking into a FIFO would hang until a writer came.
        if (!GuardedFile.IsRegularFile(path) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        using var reader = new StreamReader(path);
        int next;
        while ((next = reader.Read()) >= 0 && char.IsWhiteSpace((char)next))
        {
        }

        return next == '{';
    }
}

public sealed class PlanFileException : Exception
{
    public PlanFileException(string message)
        : base(message)
    {
    }

    public PlanFileException()
    {
    }

    public PlanFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
