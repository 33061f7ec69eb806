using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>
/// Changes made at BT by someone else (BT's own staff, another tool, the reseller's portal): the admin API's way to
/// produce drift and outside changes for tests, without an order of whcctl's.
/// </summary>
internal sealed partial class WhcEmulator
{
    /// <summary>Changes an active user's first name, last name, extension or licence, as given in the body.</summary>
    public ApiResult ChangeUserOutside(string username, JsonNode? body)
    {
        lock (_gate)
        {
            ProcessDue();
            var user = _state.Companies.SelectMany(c => c.Users).FirstOrDefault(u => u.Status == CompanyStatus.Active && SameText(u.Username, username));
            if (user is null)
            {
                return ApiResult.NotFound();
            }

            user.FirstName = JsonRead.String(body, "firstName") ?? user.FirstName;
            user.LastName = JsonRead.String(body, "lastName") ?? user.LastName;
            user.Extension = JsonRead.String(body, "extension") ?? user.Extension;
            user.Licence = JsonRead.String(body, "licence") ?? user.Licence;
            Persist();
            return ApiResult.Ok(UserView(user));
        }
    }

    /// <summary>Ceases a company and everything in it, as a cease order would.</summary>
    public ApiResult CeaseCompanyOutside(string companyName)
    {
        lock (_gate)
        {
            ProcessDue();
            var company = _state.Companies.FirstOrDefault(c => c.Status != CompanyStatus.Ceased && SameText(c.CompanyName, companyName));
            if (company is null)
            {
                return ApiResult.NotFound();
            }

            company.Status = CompanyStatus.Ceased;
            company.Sites.ForEach(s => s.Status = CompanyStatus.Ceased);
            company.Users.ForEach(u => u.Status = CompanyStatus.Ceased);
            company.NumberRanges.ForEach(r => r.Status = RangeStatus.Ceased);
            Persist();
            return ApiResult.Ok(new JsonObject { ["companyName"] = company.CompanyName, ["status"] = company.Status });
        }
    }
}
