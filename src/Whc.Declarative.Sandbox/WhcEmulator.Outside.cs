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
        var wrong = NotStrings(body, "firstName", "lastName", "extension", "licence");
        if (wrong.Count > 0)
        {
            return ApiResult.SchemaInvalid("Invalid user change", wrong);
        }

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

    /// <summary>
    /// BT's staff settle an order that is not final yet: <c>failed</c> (nothing in it happens; BT's reason from
    /// <c>errorMessage</c>) or <c>completed</c> (processed now, as if its time had come).
    /// </summary>
    public ApiResult SetOrderStateOutside(string orderId, JsonNode? body)
    {
        var state = JsonRead.String(body, "state");
        if (state is not (OrderStates.Failed or OrderStates.Completed))
        {
            return ApiResult.SchemaInvalid("Invalid order state change", ["state must be 'failed' or 'completed'"]);
        }

        if (NotStrings(body, "errorMessage") is { Count: > 0 } wrong)
        {
            return ApiResult.SchemaInvalid("Invalid order state change", wrong);
        }

        lock (_gate)
        {
            ProcessDue();
            var order = _state.Orders.FirstOrDefault(o => o.Id == orderId);
            if (order is null)
            {
                return ApiResult.NotFound();
            }

            if (order.State is OrderStates.Completed or OrderStates.Failed or OrderStates.Partial)
            {
                return ApiResult.SchemaInvalid("Invalid order state change", [$"order {orderId} is already {order.State}"]);
            }

            var now = _clock.GetUtcNow();
            if (state == OrderStates.Failed)
            {
                SetState(order, OrderStates.Failed);
                order.ErrorMessage = JsonRead.String(body, "errorMessage") ?? "failed by BT";
                order.CompletionDate = now;
            }
            else
            {
                order.SubmittedAt ??= now;
                Complete(order, now);
            }

            Persist();
            return ApiResult.Ok(OrderView(order));
        }
    }

    /// <summary>The named members that are present but not strings (a change must not be half-applied or ignored).</summary>
    private static List<string> NotStrings(JsonNode? body, params string[] names) =>
        [.. names.Where(n => JsonRead.Walk(body, n) is not null && JsonRead.String(body, n) is null).Select(n => $"{n} must be a string")];
}
