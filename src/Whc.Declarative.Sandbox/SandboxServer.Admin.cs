using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Whc.Declarative.Sandbox;

/// <summary>The admin API under /_sandbox/ (no auth, loopback only): inventory, request log, faults, clock, reset.</summary>
public sealed partial class SandboxServer
{
    private void MapAdmin()
    {
        Admin("GET", "/_sandbox/inventory", _ => Task.FromResult(ApiResult.Ok(_emulator.Inventory())));
        Admin("GET", "/_sandbox/requests", _ => Task.FromResult(ApiResult.Ok(JsonSerializer.SerializeToNode(_log.Snapshot(), AdminJson) ?? new JsonArray())));
        Admin("GET", "/_sandbox/faults", _ => Task.FromResult(FaultsView()));
        Admin("POST", "/_sandbox/faults", ReplaceFaultsAsync);
        Admin("GET", "/_sandbox/clock", _ => Task.FromResult(ClockView()));
        Admin("POST", "/_sandbox/clock", MoveClockAsync);
        Admin("POST", "/_sandbox/tokens/revoke", _ =>
        {
            _tokens.RevokeAll();
            return Task.FromResult(ApiResult.Ok(new JsonObject { ["revoked"] = true }));
        });
        Admin("POST", "/_sandbox/outside/users/{username}", async context =>
            await ReadBodyAsync(context) is JsonObject body
                ? _emulator.ChangeUserOutside(context.Request.RouteValues["username"] as string ?? string.Empty, body)
                : ApiResult.SchemaInvalid("Invalid user change", ["a JSON object is required"]));
        Admin("POST", "/_sandbox/outside/companies/{companyName}/cease", context =>
            Task.FromResult(_emulator.CeaseCompanyOutside(context.Request.RouteValues["companyName"] as string ?? string.Empty)));
        Admin("POST", "/_sandbox/outside/orders/{orderId}/state", async context =>
            await ReadBodyAsync(context) is JsonObject body
                ? _emulator.SetOrderStateOutside(context.Request.RouteValues["orderId"] as string ?? string.Empty, body)
                : ApiResult.SchemaInvalid("Invalid order state change", ["a JSON object is required"]));
        Admin("POST", "/_sandbox/reset", _ =>
        {
            _emulator.Reset();
            _log.Clear();
            _faults.Replace(FaultConfig.None);
            return Task.FromResult(ApiResult.Ok(new JsonObject { ["reset"] = true }));
        });
    }

    private void Admin(string method, string pattern, Func<HttpContext, Task<ApiResult>> handler) =>
        _app.MapMethods(pattern, [method], async (HttpContext context) => await WriteAsync(context, await handler(context)))
            .WithMetadata(new SandboxEndpoint("admin"));

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ApiResult FaultsView() => ApiResult.Ok(JsonSerializer.SerializeToNode(_faults.Current, AdminJson) ?? new JsonObject());

    private ApiResult ClockView() => ApiResult.Ok(new JsonObject { ["now"] = Clock.GetUtcNow() });

    private async Task<ApiResult> ReplaceFaultsAsync(HttpContext context)
    {
        FaultConfig? config;
        try
        {
            config = await JsonSerializer.DeserializeAsync<FaultConfig>(context.Request.Body, AdminJson, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiResult.SchemaInvalid("Invalid fault configuration", [e.Message]);
        }

        if (config is null)
        {
            return ApiResult.SchemaInvalid("Invalid fault configuration", ["a JSON object is required"]);
        }

        var problems = FaultInjector.Validate(config);
        if (problems.Count > 0)
        {
            return ApiResult.SchemaInvalid("Invalid fault configuration", problems);
        }

        ReplaceFaults(config);
        return FaultsView();
    }

    private async Task<ApiResult> MoveClockAsync(HttpContext context)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiResult.SchemaInvalid("Invalid clock request", [e.Message]);
        }

        var advance = JsonRead.String(body, "advance");
        var set = JsonRead.String(body, "set");
        try
        {
            if (advance is not null)
            {
                Clock.Advance(XmlConvert.ToTimeSpan(advance));
            }
            else if (set is not null)
            {
                Clock.Set(DateTimeOffset.Parse(set, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal));
            }
            else
            {
                return ApiResult.SchemaInvalid("Invalid clock request", ["give \"advance\" (an ISO 8601 duration such as PT2H) or \"set\" (an ISO 8601 instant)"]);
            }
        }
        catch (FormatException e)
        {
            return ApiResult.SchemaInvalid("Invalid clock request", [e.Message]);
        }

        return ClockView();
    }
}
