using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>What an emulated operation answers: a status and a JSON body, written by the HTTP pipeline.</summary>
/// <param name="IsNoData">BT's positive "no such data" answer; its status and code are the contract's.</param>
internal sealed record ApiResult(int Status, JsonNode? Body, int RetryAfterSeconds = 0, bool IsNoData = false)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public static ApiResult Ok(JsonNode body) => new(200, body);

    public static ApiResult Created(JsonNode body) => new(201, body);

    /// <summary>BT's gateway error envelope: <c>{"code":"n","message":"..."}</c>, plus <c>errors</c> for schema failures.</summary>
    public static ApiResult Error(int status, string code, string message, IEnumerable<string>? errors = null)
    {
        var body = new JsonObject { ["code"] = code, ["message"] = message };
        if (errors is not null)
        {
            body["errors"] = new JsonArray(errors.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray());
        }

        return new ApiResult(status, body);
    }

    public static ApiResult NotFound(string message = "No data found") => Error(404, "404", message) with { IsNoData = true };

    /// <summary>The client is bound to other CUGs (BT gateway code 51, "forbidden requester").</summary>
    public static ApiResult NotBoundTo(string cug) => Error(403, "51", $"Forbidden requester: this client may not act for customer {cug}");

    public static ApiResult SchemaInvalid(string message, IEnumerable<string>? errors = null) => Error(400, "29", message, errors ?? [message]);

    public static ApiResult MissingQuery(string name) => Error(400, "27", $"Missing query parameter: {name}");
}
