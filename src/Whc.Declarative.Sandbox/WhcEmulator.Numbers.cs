using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>Ringfencing number ranges to a company.</summary>
internal sealed partial class WhcEmulator
{
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
}
