using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Whc.Declarative.Sandbox;

/// <summary>The admin API under /_sandbox/ (no auth, loopback only): inventory, request log, faults, clock, reset.</summary>
public sealed partial class SandboxServer
{
    private void MapAdmin()
    {
        Admin("GET", "/_sandbox/inventory", _ => ApiResult.Ok(_emulator.Inventory()));
        Admin("GET", "/_sandbox/requests", _ => ApiResult.Ok(JsonSerializer.SerializeToNode(_log.Snapshot(), SandboxAdminJson.Default.IReadOnlyListRequestLogEntry) ?? new JsonArray()));
        Admin("GET", "/_sandbox/faults", _ => FaultsView());
        Admin("POST", "/_sandbox/faults", ReplaceFaults);
        Admin("GET", "/_sandbox/clock", _ => ClockView());
        Admin("POST", "/_sandbox/clock", MoveClock);
        Admin("POST", "/_sandbox/tokens/revoke", _ =>
        {
            _tokens.RevokeAll();
            return ApiResult.Ok(new JsonObject { ["revoked"] = true });
        });
        Admin("POST", "/_sandbox/outside/users/{username}", r =>
            r.Body is JsonObject body
                ? _emulator.ChangeUserOutside(r.RouteValue("username"), body)
                : ApiResult.SchemaInvalid("Invalid user change", ["a JSON object is required"]));
        Admin("POST", "/_sandbox/outside/companies/{companyName}/cease", r => _emulator.CeaseCompanyOutside(r.RouteValue("companyName")));
        Admin("POST", "/_sandbox/outside/orders/{orderId}/state", r =>
            r.Body is JsonObject body
                ? _emulator.SetOrderStateOutside(r.RouteValue("orderId"), body)
                : ApiResult.SchemaInvalid("Invalid order state change", ["a JSON object is required"]));
        Admin("POST", "/_sandbox/reset", _ =>
        {
            _emulator.Reset();
            _log.Clear();
            _faults.Replace(FaultConfig.None);
            return ApiResult.Ok(new JsonObject { ["reset"] = true });
        });
    }

    private void Admin(string method, string pattern, Func<AdminRequest, ApiResult> handler) =>
        _app.MapMethods(pattern, [method], async (HttpContext context) => await WriteAsync(context, await HandleAdminAsync(context, handler)))
            .WithMetadata(new SandboxEndpoint("admin"));

    private async Task<ApiResult> HandleAdminAsync(HttpContext context, Func<AdminRequest, ApiResult> handler)
    {
        try
        {
            if (!IsLoopbackHost(context.Request.Host))
            {
                // DNS rebinding: a web page whose name now resolves to 127.0.0.1 would send its own name.
                return ApiResult.Error(403, "50", "Access denied: the admin API answers only requests addressed to a loopback host (127.0.0.1, [::1], localhost)");
            }

            JsonNode? body = null;
            if (HttpMethods.IsPost(context.Request.Method))
            {
                if (!IsJson(context.Request.ContentType))
                {
                    // A cross-site form can post text/plain or form data without a preflight, never application/json.
                    return ApiResult.Error(415, "68", "Unsupported media type: admin POSTs need Content-Type: application/json, even without a body");
                }

                // Calls without a payload (reset, revoke, cease) may send none; any body sent must be JSON.
                try
                {
                    (body, var error) = await RequestBody.ReadAsync(context, "Invalid admin request", required: false);
                    if (error is not null)
                    {
                        return error;
                    }
                }
                catch (BadHttpRequestException e)
                {
                    return ApiResult.SchemaInvalid("Invalid admin request", [$"request body refused: {e.Message}"]);
                }
            }

            return handler(new AdminRequest(context, body));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Options.Logger?.LogError(e, "Sandbox admin call {Path} failed", context.Request.Path.Value);
            return ApiResult.Error(500, "01", "Internal Server Error");
        }
    }

    private static bool IsLoopbackHost(HostString host)
    {
        var name = host.Host;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var literal = name.Length > 2 && name[0] == '[' && name[^1] == ']' ? name[1..^1] : name;
        return IPAddress.TryParse(literal, out var address) && IPAddress.IsLoopback(address);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    private ApiResult FaultsView() => ApiResult.Ok(JsonSerializer.SerializeToNode(_faults.Current, SandboxAdminJson.Default.FaultConfig) ?? new JsonObject());

    private ApiResult ClockView() => ApiResult.Ok(new JsonObject { ["now"] = Clock.GetUtcNow() });

    private ApiResult ReplaceFaults(AdminRequest request)
    {
        FaultConfigBody? read;
        try
        {
            read = request.Body is JsonObject body ? body.Deserialize(SandboxAdminJson.Default.FaultConfigBody) : null;
        }
        catch (JsonException e)
        {
            return ApiResult.SchemaInvalid("Invalid fault configuration", [e.Message]);
        }

        if (read is null)
        {
            return ApiResult.SchemaInvalid("Invalid fault configuration", ["a JSON object is required"]);
        }

        if (read.ToConfig() is not { } config)
        {
            return ApiResult.SchemaInvalid("Invalid fault configuration", [FaultInjector.NullCollections]);
        }

        var problems = FaultInjector.Validate(config);
        if (problems.Count > 0)
        {
            return ApiResult.SchemaInvalid("Invalid fault configuration", problems);
        }

        ReplaceFaults(config);
        return FaultsView();
    }

    private ApiResult MoveClock(AdminRequest request)
    {
        var advance = JsonRead.String(request.Body, "advance");
        var set = JsonRead.String(request.Body, "set");
        try
        {
            if (advance is not null)
            {
                Clock.Advance(XmlConvert.ToTimeSpan(advance));
            }
            else if (set is not null)
            {
                if (!DateTimeOffset.TryParse(set, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                {
                    return ApiResult.SchemaInvalid("Invalid clock request", [$"set: '{set}' is not an instant ({SandboxClock.RangeDescription})"]);
                }

                Clock.Set(instant);
            }
            else
            {
                return ApiResult.SchemaInvalid("Invalid clock request", ["give \"advance\" (an ISO 8601 duration such as PT2H) or \"set\" (an ISO 8601 instant)"]);
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return ApiResult.SchemaInvalid("Invalid clock request", [e.Message]);
        }
        catch (ArgumentOutOfRangeException)
        {
            return ApiResult.SchemaInvalid("Invalid clock request", [SandboxClock.RangeDescription]);
        }

        return ClockView();
    }

    private sealed class AdminRequest(HttpContext context, JsonNode? body)
    {
        public JsonNode? Body => body;

        public string RouteValue(string name) => context.GetRouteValue(name)?.ToString() ?? "";
    }
}
