using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>Ringfencing number ranges to a company: new numbers from the sandbox's pool, or ported ranges by their ends.</summary>
internal sealed partial class WhcEmulator
{
    /// <summary>The most numbers one ported ringfence may allocate (as a ringfence of new numbers).</summary>
    private const int MaxPortedRange = NumberPlan.RangeSize;

    public ApiResult RingFence(JsonNode? body)
    {
        if (JsonRead.String(body, "numbers", "characteristics", "startNumber") is not null
            || JsonRead.String(body, "numbers", "characteristics", "endNumber") is not null)
        {
            return RingFencePorted(body);
        }

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
            var (company, refusal) = RingFenceCompany(serviceId, cugId, qualifierId, now);
            if (company is null)
            {
                return refusal ?? ApiResult.SchemaInvalid($"unknown ringFenceId '{serviceId}'");
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
            return RingFenced(company, allocated);
        }
    }

    /// <summary>
    /// [ASSUMED] A ported range: the ringfence body with <c>numbers.characteristics.startNumber/endNumber</c> instead of
    /// an area code. Any UK range is accepted (ported numbers need not be in the sandbox's pool of new numbers) unless a
    /// number of it is already held, ringfenced or active, by a company: then 400/29 as BT's other refusals.
    /// </summary>
    private ApiResult RingFencePorted(JsonNode? body)
    {
        var errors = new List<string>();
        var cugId = JsonRead.String(body, "customer", "id");
        var start = JsonRead.String(body, "numbers", "characteristics", "startNumber") ?? string.Empty;
        var end = JsonRead.String(body, "numbers", "characteristics", "endNumber") ?? string.Empty;
        var serviceId = JsonRead.String(body, "ringFenceId");
        var qualifierId = JsonRead.String(body, "qualifierId");
        if (string.IsNullOrEmpty(cugId))
        {
            errors.Add("customer.id is required");
        }

        if (!IsUkNumber(start) || !IsUkNumber(end))
        {
            errors.Add("numbers.characteristics.startNumber and endNumber must be UK numbers: 0 and 9 or 10 more digits");
        }
        else if (start.Length != end.Length || string.CompareOrdinal(start, end) > 0)
        {
            errors.Add("numbers.characteristics.startNumber must not be after endNumber, and both must have the same length");
        }
        else if (long.Parse(end, CultureInfo.InvariantCulture) - long.Parse(start, CultureInfo.InvariantCulture) + 1 > MaxPortedRange)
        {
            errors.Add($"a ported range holds at most {MaxPortedRange} numbers");
        }

        if (!string.Equals(JsonRead.String(body, "action"), "RingFence", StringComparison.OrdinalIgnoreCase))
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

        if (errors.Count > 0 || serviceId is null)
        {
            return ApiResult.SchemaInvalid("Schema validation failed", errors);
        }

        lock (_gate)
        {
            ProcessDue();
            var now = _clock.GetUtcNow();
            var (company, refusal) = RingFenceCompany(serviceId, cugId, qualifierId, now);
            if (company is null)
            {
                return refusal ?? ApiResult.SchemaInvalid($"unknown ringFenceId '{serviceId}'");
            }

            var holder = HolderOf(start, end);
            if (holder is { } held)
            {
                return ApiResult.SchemaInvalid(held.Company == company
                    ? $"numbers {start} to {end} overlap {held.Range.StartNumber}-{held.Range.EndNumber}, already held by this company"
                    : $"numbers {start} to {end} overlap {held.Range.StartNumber}-{held.Range.EndNumber}, held by another company; they cannot be ported in");
            }

            var allocated = new NumberRangeRecord
            {
                AreaCode = AreaCodeOf(start),
                StartNumber = start,
                EndNumber = end,
                RingFencedAt = now,
                Ported = true,
            };
            return RingFenced(company, allocated);
        }
    }

    /// <summary>
    /// [ASSUMED] Verify numbers: 200 with the overlapping ranges (their ends and status only) when any number from
    /// <paramref name="startNumber"/> to <paramref name="endNumber"/> is held by a company other than
    /// <paramref name="companyServiceId"/>'s (when it is one of the calling CUG's); BT's "no data" 404 when none is.
    /// </summary>
    public ApiResult VerifyNumbers(string cugId, string? startNumber, string? endNumber, string? companyServiceId)
    {
        if (string.IsNullOrEmpty(startNumber))
        {
            return ApiResult.MissingQuery("startNumber");
        }

        if (string.IsNullOrEmpty(endNumber))
        {
            return ApiResult.MissingQuery("endNumber");
        }

        if (!startNumber.All(char.IsAsciiDigit) || !endNumber.All(char.IsAsciiDigit) || startNumber.Length != endNumber.Length || string.CompareOrdinal(startNumber, endNumber) > 0)
        {
            return ApiResult.Error(400, "28", "Invalid query parameter: startNumber and endNumber must be numbers of one length, in order");
        }

        lock (_gate)
        {
            ProcessDue();
            var own = _state.Companies.FirstOrDefault(c => c.ServiceId == companyServiceId && c.CugId == cugId);
            var overlapping = _state.Companies
                .Where(c => c != own)
                .SelectMany(c => c.NumberRanges.Where(r => r.Status != RangeStatus.Ceased && Overlaps(r, startNumber, endNumber)))
                .OrderBy(r => r.StartNumber, StringComparer.Ordinal)
                .ToList();
            return overlapping.Count == 0
                ? ApiResult.NotFound()
                : ApiResult.Ok(new JsonArray([.. overlapping.Select(r => (JsonNode?)new JsonObject
                {
                    ["startNumber"] = r.StartNumber,
                    ["endNumber"] = r.EndNumber,
                    ["status"] = r.Status,
                })]));
        }
    }

    private (CompanyRecord Company, NumberRangeRecord Range)? HolderOf(string start, string end)
    {
        foreach (var company in _state.Companies)
        {
            if (company.NumberRanges.FirstOrDefault(r => r.Status != RangeStatus.Ceased && Overlaps(r, start, end)) is { } range)
            {
                return (company, range);
            }
        }

        return null;
    }

    private static bool Overlaps(NumberRangeRecord range, string start, string end) =>
        range.StartNumber.Length == start.Length
        && string.CompareOrdinal(range.StartNumber, end) <= 0
        && string.CompareOrdinal(start, range.EndNumber) <= 0;

    private static bool IsUkNumber(string number) =>
        number.Length is 10 or 11 && number[0] == '0' && number[1] is '1' or '2' or '3' or '8' && number.All(char.IsAsciiDigit);

    /// <summary>
    /// The area code of a UK number, as BT's inventory lists it: 02x (3 digits), 011x and 01x1 (4), else 5 digits. So
    /// a ported range inside the sandbox's pool counts against that pool's area code, and new numbers avoid it.
    /// </summary>
    private static string AreaCodeOf(string number) =>
        number.StartsWith("02", StringComparison.Ordinal) ? number[..3]
        : number.Length > 3 && (number[2] == '1' || number[3] == '1') ? number[..4]
        : number[..Math.Min(5, number.Length)];

    /// <summary>
    /// The company a ringfence is for, or BT's refusal: no live company of that service id for the customer, or a
    /// company not yet active without a live qualification of its own. Call under the gate.
    /// </summary>
    private (CompanyRecord? Company, ApiResult? Refusal) RingFenceCompany(string serviceId, string? cugId, string? qualifierId, DateTimeOffset now)
    {
        var company = _state.Companies.FirstOrDefault(c => c.ServiceId == serviceId && c.CugId == cugId && c.Status != CompanyStatus.Ceased);
        if (company is null || company.Status == CompanyStatus.Qualified && !IsLive(company, now))
        {
            return (null, ApiResult.SchemaInvalid($"unknown ringFenceId '{serviceId}' for customer '{cugId}'"));
        }

        return company.Status == CompanyStatus.Qualified && !company.Qualifications.Any(q => q.Id == qualifierId && q.ExpiresAt > now)
            ? (null, ApiResult.SchemaInvalid($"qualifierId '{qualifierId}' is not a live qualification of company {serviceId}"))
            : (company, null);
    }

    /// <summary>Holds <paramref name="range"/> for the company and answers as the guide shows. Call under the gate.</summary>
    private ApiResult RingFenced(CompanyRecord company, NumberRangeRecord range)
    {
        company.NumberRanges.Add(range);
        Persist();
        return ApiResult.Created(new JsonObject
        {
            ["action"] = "Ringfence",
            ["numberRange"] = new JsonObject { ["startNumber"] = range.StartNumber, ["endNumber"] = range.EndNumber },
            ["ringFenceId"] = company.ServiceId,
            ["status"] = RangeStatus.RingFenced,
        });
    }
}
