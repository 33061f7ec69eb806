using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>Reading and verifying companies, sites, users and extensions, and the reseller's company listing.</summary>
internal sealed partial class WhcEmulator
{
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
}
