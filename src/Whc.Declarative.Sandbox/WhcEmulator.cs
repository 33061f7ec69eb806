using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Whc.Declarative.Sandbox;

/// <summary>
/// BT's WHC back end as the sandbox emulates it, one file per BT resource: companies (WhcEmulator.Companies),
/// qualifications, numbers, addresses, orders (and their processing, Engine), views, and outside changes. This file
/// holds the shared state and helpers. Every operation takes one lock, first moves submitted orders along on the
/// sandbox clock, and persists after a change.
/// </summary>
internal sealed partial class WhcEmulator
{
    private static readonly TimeZoneInfo UkTime = FindUkTime();

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly OrderTimings _timings;
    private readonly int _maxUsersPerOrder;
    private readonly SandboxStore? _store;
    private SandboxState _state;
    private volatile bool _marksPortedRanges = true;

    public WhcEmulator(TimeProvider clock, OrderTimings timings, int maxUsersPerOrder, SandboxStore? store)
    {
        _clock = clock;
        _timings = timings;
        _maxUsersPerOrder = maxUsersPerOrder;
        _store = store;
        _state = store?.Load() ?? new SandboxState();
    }

    /// <summary>Whether company views carry <c>ported</c> on number ranges (see <see cref="SandboxOptions.MarkPortedRanges"/>).</summary>
    public bool MarksPortedRanges
    {
        get => _marksPortedRanges;
        set => _marksPortedRanges = value;
    }

    /// <summary>When a qualification made at <paramref name="now"/> expires: 23:59 UK time (GMT or BST) that day.</summary>
    public static DateTimeOffset QualificationExpiry(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, UkTime);
        var expiryLocal = local.Date.AddHours(23).AddMinutes(59);
        return new DateTimeOffset(expiryLocal, UkTime.GetUtcOffset(expiryLocal));
    }

    public JsonNode Inventory()
    {
        lock (_gate)
        {
            ProcessDue();
            return JsonSerializer.SerializeToNode(_state, SandboxStateJson.Default.SandboxState) ?? new JsonObject();
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _state = new SandboxState();
            Persist();
        }
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------------

    /// <summary>Europe/London; on Windows without ICU the IANA id may not resolve, so fall back to its Windows id.</summary>
    private static TimeZoneInfo FindUkTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.FindSystemTimeZoneById("GMT Standard Time");
        }
    }

    private static bool SameText(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string? Required(Dictionary<string, string> characteristics, string name, List<string> errors)
    {
        if (characteristics.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        errors.Add($"productCharacteristic '{name}' is required");
        return null;
    }

    private static string Next(Func<long> take) => take().ToString(CultureInfo.InvariantCulture);

    private static int FindFreeRun(bool[] used, int length)
    {
        var run = 0;
        for (var i = 0; i < used.Length; i++)
        {
            run = used[i] ? 0 : run + 1;
            if (run == length)
            {
                return i - length + 1;
            }
        }

        return -1;
    }

    /// <summary>A company holds its name and domain while active, or while qualified with a live or used qualification.</summary>
    private static bool IsLive(CompanyRecord company, DateTimeOffset now) =>
        company.Status == CompanyStatus.Active
        || company.Status == CompanyStatus.Qualified && company.Qualifications.Any(q => q.UsedByOrderId is not null || q.ExpiresAt > now);

    private IEnumerable<CompanyRecord> LiveCompanies()
    {
        var now = _clock.GetUtcNow();
        return _state.Companies.Where(c => IsLive(c, now));
    }

    /// <summary>A lapsed qualification (expired, never used) gives up its name and domain to the next qualifier.</summary>
    private void ReleaseLapsedHolders(string name, string domain, CompanyRecord keeper, DateTimeOffset now)
    {
        foreach (var c in _state.Companies.Where(c => c != keeper && c.Status == CompanyStatus.Qualified && !IsLive(c, now)
                     && (SameText(c.CompanyName, name) || SameText(c.CompanyDomain, domain))))
        {
            c.Status = CompanyStatus.Ceased;
        }
    }

    private void Persist() => _store?.Save(_state);

    /// <summary>A deep copy through the inventory's JSON metadata (T is one of its records, so the context knows it).</summary>
    private static T Clone<T>(T value)
    {
        var metadata = SandboxStateJson.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
            ?? throw new InvalidOperationException($"the sandbox inventory's JSON has no metadata for {typeof(T).Name}");
        return JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, metadata), metadata)
            ?? throw new InvalidOperationException("clone failed");
    }
}
