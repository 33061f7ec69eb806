using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>
/// BT's WHC back end as the sandbox emulates it: companies, qualifications, ringfenced numbers, addresses and orders.
/// Every operation takes one lock, first moves submitted orders along on the sandbox clock, and persists after a change.
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

    public WhcEmulator(TimeProvider clock, OrderTimings timings, int maxUsersPerOrder, SandboxStore? store)
    {
        _clock = clock;
        _timings = timings;
        _maxUsersPerOrder = maxUsersPerOrder;
        _store = store;
        _state = store?.Load() ?? new SandboxState();
    }

    internal static JsonSerializerOptions StateJson { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

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
            return JsonSerializer.SerializeToNode(_state, StateJson) ?? new JsonObject();
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

    // ---- Verify and read -------------------------------------------------------------------------------------------

    public ApiResult ReadCompany(string cugId, string? companyName)
    {
        if (string.IsNullOrEmpty(companyName))
        {
            return ApiResult.MissingQuery("companyName");
        }

        lock (_gate)
        {
            ProcessDue();
            var company = LiveCompanies().FirstOrDefault(c => SameText(c.CompanyName, companyName));
            return company is null ? ApiResult.NotFound() : ApiResult.Ok(CompanyView(company, cugId));
        }
    }

    /// <summary>
    /// The reseller's live companies in service id order, one page (<c>offset</c>, <c>limit</c> up to 1,000, default
    /// 100). The route is assumed: bulk import needs some listing, and BT's guide shows none.
    /// </summary>
    public ApiResult ListCompanies(string cugId, string? offset, string? limit)
    {
        var errors = new List<string>();
        var from = PageNumber(offset, "offset", 0, int.MaxValue, 0, errors);
        var size = PageNumber(limit, "limit", 1, 1000, 100, errors);
        if (errors.Count > 0)
        {
            return ApiResult.SchemaInvalid("Schema validation failed", errors);
        }

        lock (_gate)
        {
            ProcessDue();
            return ApiResult.Ok(new JsonArray([.. LiveCompanies()
                .Where(c => c.CugId == cugId)
                .OrderBy(c => c.ServiceId.Length).ThenBy(c => c.ServiceId, StringComparer.Ordinal)
                .Skip(from).Take(size)
                .Select(c => (JsonNode)new JsonObject { ["serviceId"] = c.ServiceId, ["companyName"] = c.CompanyName, ["status"] = c.Status })]));
        }
    }

    private static int PageNumber(string? text, string name, int min, int max, int fallback, List<string> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{name} must be a whole number from {min} to {max}");
        return fallback;
    }

    public ApiResult VerifyDomain(string cugId, string? domain)
    {
        if (string.IsNullOrEmpty(domain))
        {
            return ApiResult.MissingQuery("companyDomain");
        }

        lock (_gate)
        {
            ProcessDue();
            var company = LiveCompanies().FirstOrDefault(c => SameText(c.CompanyDomain, domain));
            return company is null ? ApiResult.NotFound() : ApiResult.Ok(CompanyView(company, cugId));
        }
    }

    public ApiResult VerifySite(string cugId, string? siteName, string? companyServiceId)
    {
        if (string.IsNullOrEmpty(siteName))
        {
            return ApiResult.MissingQuery("siteName");
        }

        if (string.IsNullOrEmpty(companyServiceId))
        {
            return ApiResult.MissingQuery("companyServiceId");
        }

        lock (_gate)
        {
            ProcessDue();
            var company = LiveCompanies().FirstOrDefault(c => c.ServiceId == companyServiceId && c.CugId == cugId);
            var site = company?.Sites.FirstOrDefault(s => s.Status == CompanyStatus.Active && SameText(s.SiteName, siteName));
            return site is null ? ApiResult.NotFound() : ApiResult.Ok(SiteView(site));
        }
    }

    public ApiResult VerifyUser(string cugId, string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            return ApiResult.MissingQuery("username");
        }

        lock (_gate)
        {
            ProcessDue();
            foreach (var company in LiveCompanies())
            {
                var user = company.Users.FirstOrDefault(u => u.Status == CompanyStatus.Active && SameText(u.Username, username));
                if (user is not null)
                {
                    return ApiResult.Ok(company.CugId == cugId
                        ? UserView(user)
                        : new JsonObject { ["username"] = user.Username, ["status"] = CompanyStatus.Active });
                }
            }

            return ApiResult.NotFound();
        }
    }

    public ApiResult VerifyExtension(string cugId, string? extension, string? companyServiceId)
    {
        if (string.IsNullOrEmpty(extension))
        {
            return ApiResult.MissingQuery("extension");
        }

        if (string.IsNullOrEmpty(companyServiceId))
        {
            return ApiResult.MissingQuery("companyServiceId");
        }

        lock (_gate)
        {
            ProcessDue();
            var company = LiveCompanies().FirstOrDefault(c => c.ServiceId == companyServiceId && c.CugId == cugId);
            var user = company?.Users.FirstOrDefault(u => u.Status == CompanyStatus.Active && u.Extension == extension);
            return user is null ? ApiResult.NotFound() : ApiResult.Ok(UserView(user));
        }
    }

    // ---- Qualify ---------------------------------------------------------------------------------------------------

    public ApiResult Qualify(JsonNode? body)
    {
        var errors = new List<string>();
        var cugId = JsonRead.CustomerCug(body);
        if (string.IsNullOrEmpty(cugId))
        {
            errors.Add("relatedParty: a party with role 'customer' and an id (the CUG) is required");
        }

        var items = JsonRead.Array(body, "productOfferingQualificationItem");
        var item = items.Count > 0 ? items[0] : null;
        if (item is null)
        {
            errors.Add("productOfferingQualificationItem: one item is required");
        }
        else if (JsonRead.String(item, "productOffering", "id") is { } offering && offering != "WHCCompany")
        {
            errors.Add($"productOfferingQualificationItem[0].productOffering.id: expected 'WHCCompany', got '{offering}'");
        }

        var characteristics = JsonRead.Characteristics(JsonRead.Walk(item, "product"));
        var name = Required(characteristics, "customerName", errors);
        var domain = Required(characteristics, "customerDomain", errors);
        var group = Required(characteristics, "customerGroup", errors);
        if (errors.Count > 0 || cugId is null || name is null || domain is null || group is null)
        {
            return ApiResult.SchemaInvalid("Schema validation failed", errors);
        }

        lock (_gate)
        {
            ProcessDue();
            var now = _clock.GetUtcNow();
            var byName = LiveCompanies().FirstOrDefault(c => SameText(c.CompanyName, name));
            var byDomain = LiveCompanies().FirstOrDefault(c => SameText(c.CompanyDomain, domain));
            var ownName = byName is { Status: CompanyStatus.Qualified } && byName.CugId == cugId;
            var reasons = new List<(string Code, string Label)>();
            if (byName is not null && !ownName)
            {
                reasons.Add(("nameTaken", "company name already registered"));
            }

            if (byDomain is not null && !(ownName && byDomain == byName))
            {
                reasons.Add(("domainTaken", "company domain already registered"));
            }

            var qualificationId = "QFW" + Next(() => _state.NextQualificationNumber++);
            if (reasons.Count > 0)
            {
                // An unqualified answer reserves nothing.
                return ApiResult.Created(QualificationView(qualificationId, null, name, domain, group, cugId, now, reasons));
            }

            var company = ownName
                ? byName
                : _state.Companies.FirstOrDefault(c => c.CugId == cugId && c.Status == CompanyStatus.Qualified && !IsLive(c, now) && SameText(c.CompanyName, name));
            if (company is null)
            {
                company = new CompanyRecord { ServiceId = "WHHCBTWKN" + Next(() => _state.NextServiceNumber++), CugId = cugId, CreatedAt = now };
                _state.Companies.Add(company);
            }

            ReleaseLapsedHolders(name, domain, company, now);
            company.CompanyName = name;
            company.CompanyDomain = domain;
            company.CustomerGroup = group;
            company.BillingAccount = JsonRead.String(body, "billingAccount", "id") ?? company.BillingAccount;
            company.Status = CompanyStatus.Qualified;
            company.QualificationId = qualificationId;
            company.Qualifications.Add(new QualificationRecord { Id = qualificationId, CreatedAt = now, ExpiresAt = QualificationExpiry(now) });
            Persist();
            return ApiResult.Created(QualificationView(qualificationId, company.ServiceId, name, domain, group, cugId, now, reasons));
        }
    }

    // ---- Ringfence -------------------------------------------------------------------------------------------------

    public ApiResult RingFence(JsonNode? body)
    {
        var errors = new List<string>();
        var cugId = JsonRead.String(body, "customer", "id");
        var quantity = JsonRead.Int(body, "numbers", "quantity");
        var areaCode = JsonRead.String(body, "numbers", "characteristics", "numberString");
        var serviceId = JsonRead.String(body, "ringFenceId");
        var qualifierId = JsonRead.String(body, "qualifierId");
        var action = JsonRead.String(body, "action");
        if (string.IsNullOrEmpty(cugId))
        {
            errors.Add("customer.id is required");
        }

        if (quantity is null or < 1 or > NumberPlan.RangeSize)
        {
            errors.Add($"numbers.quantity must be a whole number from 1 to {NumberPlan.RangeSize}");
        }

        if (string.IsNullOrEmpty(areaCode))
        {
            errors.Add("numbers.characteristics.numberString (the area code) is required");
        }

        if (!string.Equals(action, "RingFence", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("action must be 'RingFence'");
        }

        if (!string.Equals(JsonRead.String(body, "product", "name"), "WHC", StringComparison.Ordinal))
        {
            errors.Add("product.name must be 'WHC'");
        }

        if (string.IsNullOrEmpty(serviceId))
        {
            errors.Add("ringFenceId (the company service id) is required");
        }

        if (errors.Count > 0 || areaCode is null || quantity is null || serviceId is null)
        {
            return ApiResult.SchemaInvalid("Schema validation failed", errors);
        }

        if (!NumberPlan.TryGetPrefix(areaCode, out var prefix))
        {
            return ApiResult.SchemaInvalid($"unknown area code '{areaCode}'");
        }

        lock (_gate)
        {
            ProcessDue();
            var now = _clock.GetUtcNow();
            var company = _state.Companies.FirstOrDefault(c => c.ServiceId == serviceId && c.CugId == cugId && c.Status != CompanyStatus.Ceased);
            if (company is null || company.Status == CompanyStatus.Qualified && !IsLive(company, now))
            {
                return ApiResult.SchemaInvalid($"unknown ringFenceId '{serviceId}' for customer '{cugId}'");
            }

            if (company.Status == CompanyStatus.Qualified
                && !company.Qualifications.Any(q => q.Id == qualifierId && q.ExpiresAt > now))
            {
                return ApiResult.SchemaInvalid($"qualifierId '{qualifierId}' is not a live qualification of company {serviceId}");
            }

            var used = new bool[NumberPlan.RangeSize];
            foreach (var range in _state.Companies.SelectMany(c => c.NumberRanges).Where(r => r.AreaCode == areaCode && r.Status != RangeStatus.Ceased))
            {
                for (var i = NumberPlan.IndexOf(prefix, range.StartNumber); i >= 0 && i <= NumberPlan.IndexOf(prefix, range.EndNumber); i++)
                {
                    used[i] = true;
                }
            }

            var start = FindFreeRun(used, quantity.Value);
            if (start < 0)
            {
                return ApiResult.SchemaInvalid("number range exhausted");
            }

            var allocated = new NumberRangeRecord
            {
                AreaCode = areaCode,
                StartNumber = NumberPlan.Number(prefix, start),
                EndNumber = NumberPlan.Number(prefix, start + quantity.Value - 1),
                RingFencedAt = now,
            };
            company.NumberRanges.Add(allocated);
            Persist();
            return ApiResult.Created(new JsonObject
            {
                ["action"] = "Ringfence",
                ["numberRange"] = new JsonObject { ["startNumber"] = allocated.StartNumber, ["endNumber"] = allocated.EndNumber },
                ["ringFenceId"] = company.ServiceId,
                ["status"] = RangeStatus.RingFenced,
            });
        }
    }

    // ---- Addresses -------------------------------------------------------------------------------------------------

    public ApiResult SearchAddress(string? postcode)
    {
        if (string.IsNullOrWhiteSpace(postcode))
        {
            return ApiResult.MissingQuery("postcode");
        }

        var wanted = AddressBook.Normalize(postcode);
        lock (_gate)
        {
            var found = AddressBook.Seeded.Concat(_state.CreatedAddresses).Where(a => AddressBook.Normalize(a.Postcode) == wanted);
            return ApiResult.Ok(new JsonArray(found.Select(a => (JsonNode?)AddressView(a)).ToArray()));
        }
    }

    public ApiResult CreateAddress(JsonNode? body)
    {
        var postcode = JsonRead.String(body, "postcode");
        if (string.IsNullOrWhiteSpace(postcode))
        {
            return ApiResult.Error(400, "27", "Missing parameter: postcode");
        }

        lock (_gate)
        {
            var address = new AddressRecord
            {
                Id = "T" + Next(() => _state.NextTemporaryAddressNumber++).PadLeft(11, '0'),
                Uprn = "",
                StreetNr = JsonRead.String(body, "streetNr") ?? "",
                StreetName = JsonRead.String(body, "streetName") ?? "",
                Locality = JsonRead.String(body, "locality") ?? "",
                City = JsonRead.String(body, "city") ?? "",
                Postcode = AddressBook.Normalize(postcode),
                Qualifier = "Temporary",
                BuildingName = JsonRead.String(body, "buildingName") ?? "",
                SubBuilding = JsonRead.String(body, "subBuilding") ?? "",
            };
            _state.CreatedAddresses.Add(address);
            Persist();
            return ApiResult.Created(AddressView(address));
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

    private static T Clone<T>(T value) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, StateJson), StateJson)
        ?? throw new InvalidOperationException("clone failed");
}
