using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Canonical;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Files;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// A saved plan (<c>plan --out FILE</c>): the whole plan, including each company's manifest, the state serial and
/// lineage and the inventory fingerprint it was made from, what BT answered about an interrupted run's calls, the
/// request it was made with (paths, mode, options), and a hash of all of it. The hash catches an accidental edit; it
/// cannot stop someone who can rewrite the file, so apply also derives the plan again from the request and refuses any
/// difference (<see cref="ApplyPreconditions.CheckAgainstNowAsync"/>). Holds no secret: the plan model has none,
/// and the endpoint is recorded by its <see cref="EndpointName"/> (a preset's name or a URL), the same value the
/// request and the state binding hold, so apply compares like with like. On disk it is a <see cref="PlanDocument"/>.
/// </summary>
public sealed record PlanFile(int FormatVersion, string WhcctlVersion, EndpointName Endpoint, string PlanHash, Plan Plan, PlanRequest Request)
{
    /// <summary>
    /// 4: attribute values are typed (<see cref="PlanFileValueConverter"/>; 3 held them as text), steps are tagged by
    /// type with their own payload and ids stored by their parts (<see cref="PlanStepJson"/>), the hash is over the
    /// canonical form (<see cref="CanonicalJson"/>), and the file is read strictly (a field this whcctl does not know is
    /// refused); 3: the request is recorded, for apply to derive the plan again; 2: the hash covered the whole plan.
    /// </summary>
    public const int CurrentFormatVersion = 4;

    public static PlanFile Create(Plan plan, EndpointName endpoint, string whcctlVersion, PlanRequest request) =>
        new(CurrentFormatVersion, whcctlVersion, endpoint, HashOf(plan, endpoint, request), plan, request);

    /// <summary>A hash of the plan, the endpoint and the request, over their canonical form (<see cref="CanonicalJson"/>).</summary>
    public static string HashOf(Plan plan, EndpointName endpoint, PlanRequest request)
    {
        var content = JsonSerializer.SerializeToNode(new PlanHashedContent(endpoint, plan, request), PlanDocumentJson.Default.PlanHashedContent);
        return CanonicalJson.Sha256(content);
    }

    /// <summary>One company's part of a plan in canonical form: how two plans are compared.</summary>
    public static string Canonical(CompanyPlan company) =>
        Encoding.UTF8.GetString(CanonicalJson.Of(JsonSerializer.SerializeToNode(company, PlanDocumentJson.Default.CompanyPlan)));

    public string ToJson() => JsonSerializer.Serialize(PlanDocument.From(this), PlanDocumentJson.Default.PlanDocument);

    /// <summary>
    /// Writes the file atomically, so a reader never sees half a plan, through a temporary file of its own (never
    /// through a link planted beside the target).
    /// </summary>
    public void Save(string path) => AtomicFile.Write(path, ToJson());

    /// <summary>
    /// Reads a saved plan for <paramref name="whcctlVersion"/> (this whcctl's version). A plan another whcctl version
    /// made is refused as such (WHC4058, naming both versions): versions may plan the same manifests differently, and
    /// a plan is applied by the version that made it. A file that is not a plan, holds a field this whcctl does not
    /// know, or does not match its hash, is refused with a reason (WHC4057). A plan of another format is another build's (WHC4058).
    /// </summary>
    public static PlanFile Load(string path, string whcctlVersion)
    {
        ArgumentNullException.ThrowIfNull(whcctlVersion);
        string text;
        try
        {
            text = GuardedFile.ReadAllText(path, FileInput.PlanFile);
        }
        catch (FileInputException e)
        {
            throw new PlanFileException(e.Message, e);
        }

        // The versions first, from the header alone: another version's plan may not even read as this version's.
        var (format, madeBy) = ReadVersions(text);
        if (madeBy is not null && !string.Equals(madeBy, whcctlVersion, StringComparison.Ordinal))
        {
            throw new PlanFileException(DiagnosticCatalog.PlanFileOtherVersionMadeBy.At(SourceSpan.None, path, madeBy, format, whcctlVersion, CurrentFormatVersion));
        }

        if (format is { } other && other != CurrentFormatVersion)
        {
            // Another build of the same version number (plan formats change between releases only in development).
            throw new PlanFileException(DiagnosticCatalog.PlanFileOtherBuild.At(SourceSpan.None, path, other, madeBy, CurrentFormatVersion));
        }

        PlanDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(text, PlanDocumentJson.Default.PlanDocument);
        }
        catch (PlanFileContentException e)
        {
            throw new PlanFileException(DiagnosticCatalog.PlanFileContentRefused.At(SourceSpan.None, path, CurrentFormatVersion, e.Path ?? "$", e.Message));
        }
        catch (JsonException e)
        {
            throw new PlanFileException(format is null && madeBy is null
                ? DiagnosticCatalog.PlanFileNotPlan.At(SourceSpan.None, path)
                : DiagnosticCatalog.PlanFileNotOfFormat.At(SourceSpan.None, path, CurrentFormatVersion, e.Path ?? "$", e.LineNumber ?? 0));
        }

        if (document is null || document.Plan is null || document.Request is null || madeBy is null)
        {
            throw new PlanFileException(DiagnosticCatalog.PlanFileNotPlan.At(SourceSpan.None, path));
        }

        var file = document.ToPlanFile();
        if (HashOf(file.Plan, file.Endpoint, file.Request) != file.PlanHash)
        {
            throw new PlanFileException(DiagnosticCatalog.PlanFileHashMismatch.At(SourceSpan.None, path));
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

    /// <summary>The file's plan format and the whcctl version that made it, when it is a JSON object that names them.</summary>
    private static (int? Format, string? WhcctlVersion) ReadVersions(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is not JsonObject document)
            {
                return (null, null);
            }

            var format = document["formatVersion"] is JsonValue f && f.TryGetValue<int>(out var n) ? n : (int?)null;
            var version = document["whcctlVersion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            return (format, version);
        }
        catch (JsonException)
        {
            return (null, null);
        }
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

    /// <summary>A refusal worded by its template in the catalogue.</summary>
    public PlanFileException(Diagnostic refusal)
        : base(refusal?.Message)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        Refusal = refusal;
        Descriptor = DiagnosticCatalog.Find(refusal.Code) ?? DiagnosticCatalog.PlanFileInvalid;
    }

    /// <summary>The code the refusal is reported with: WHC4057 unless the file is another version's plan (WHC4058).</summary>
    public DiagnosticDescriptor Descriptor { get; } = DiagnosticCatalog.PlanFileInvalid;

    /// <summary>The refusal as a diagnostic; null when made from a message alone (the standard constructors).</summary>
    public Diagnostic? Refusal { get; }
}
