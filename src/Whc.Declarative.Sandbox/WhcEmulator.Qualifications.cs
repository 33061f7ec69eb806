using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>Qualifying a company (TMF679): reserves its name and domain until 23:59 UK time.</summary>
internal sealed partial class WhcEmulator
{
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
}
