using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Whc.Declarative.Contract;

namespace Whc.Declarative.Sandbox;

/// <summary>
/// The WHC sandbox: BT's WHC API (docs/whc-api.md) emulated on Kestrel at 127.0.0.1, with fault injection and an
/// admin API under <c>/_sandbox/</c>. Start it with <see cref="StartAsync"/>; dispose it to stop.
/// </summary>
public sealed partial class SandboxServer : IAsyncDisposable
{
    public const string TrackingHeader = "APIGW-Tracking-Header";

    /// <summary>Bodies are written without HTML-safe escaping (an apostrophe stays an apostrophe), as an API would.</summary>
    private static readonly JsonSerializerOptions ResponseJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;
    private readonly SandboxStore? _store;
    private readonly WhcEmulator _emulator;
    private readonly WireTranslator _translator;
    private readonly FaultInjector _faults;
    private readonly TokenStore _tokens = new();
    private readonly RequestLog _log;
    private readonly Dictionary<string, SandboxClient> _clients;
    private readonly Dictionary<string, CugBinding> _bindings;

    private SandboxServer(WebApplication app, SandboxOptions options, SandboxClock clock, SandboxStore? store)
    {
        _app = app;
        Options = options;
        _translator = new WireTranslator(options.Contract);
        Clock = clock;
        _store = store;
        _emulator = new WhcEmulator(clock, options.OrderTimings, options.MaxUsersPerOrder, store) { MarksPortedRanges = options.MarkPortedRanges };
        _faults = new FaultInjector(clock, options.Seed, options.Faults);
        _log = new RequestLog(options.RequestLogCapacity);
        _clients = options.Clients.GroupBy(c => c.ClientId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        _bindings = _clients.ToDictionary(c => c.Key, c => CugBinding.Of(c.Value), StringComparer.Ordinal);
        BaseUri = new Uri("http://127.0.0.1/");
    }

    /// <summary>Where the sandbox listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; }

    public SandboxOptions Options { get; }

    /// <summary>The sandbox clock (also moved by <c>POST /_sandbox/clock</c>).</summary>
    public SandboxClock Clock { get; }

    /// <summary>Accepted client ids (secrets are not exposed here).</summary>
    public IReadOnlyCollection<string> ClientIds => _clients.Keys;

    public FaultConfig Faults => _faults.Current;

    /// <summary>
    /// Every access token this sandbox has issued (sandbox-only values), in-process only and never served by the admin
    /// API: for tests that check a recording or a log holds none of them.
    /// </summary>
    public IReadOnlyList<string> IssuedTokens => _tokens.Issued;

    /// <summary>Starts the sandbox; throws <see cref="SandboxDataDirectoryLockedException"/> when the data directory is in use.</summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = FaultInjector.Validate(options.Faults);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid sandbox fault configuration: " + string.Join("; ", problems), nameof(options));
        }

        var badCugs = options.Clients.SelectMany(c => c.Cugs.Where(cug => !SandboxClient.IsCugId(cug)).Select(cug => $"client '{c.ClientId}': '{cug}'")).ToList();
        if (badCugs.Count > 0)
        {
            throw new ArgumentException("Not a CUG id (CUG followed by 10 digits): " + string.Join("; ", badCugs), nameof(options));
        }

        var store = options.DataDirectory is null ? null : new SandboxStore(options.DataDirectory);
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
            builder.WebHost.UseKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, options.Port);
                k.AddServerHeader = false;
            });
            var app = builder.Build();
            var server = new SandboxServer(app, options, new SandboxClock(options.Clock), store);
            server.MapRoutes();
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no address");
            server.BaseUri = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
            if (options.Logger is { } logger && logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("WHC sandbox listening on {BaseUri}", server.BaseUri);
            }
            return server;
        }
        catch
        {
            store?.Dispose();
            throw;
        }
    }

    /// <summary>Whether company answers mark ported ranges as ported (starts as <see cref="SandboxOptions.MarkPortedRanges"/>).</summary>
    public bool MarksPortedRanges
    {
        get => _emulator.MarksPortedRanges;
        set => _emulator.MarksPortedRanges = value;
    }

    /// <summary>Replaces the fault configuration, as <c>POST /_sandbox/faults</c> does.</summary>
    public void ReplaceFaults(FaultConfig faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var problems = FaultInjector.Validate(faults);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid sandbox fault configuration: " + string.Join("; ", problems), nameof(faults));
        }

        _faults.Replace(faults);
        if (faults.RevokeTokens)
        {
            _tokens.RevokeAll();
        }
    }

    /// <summary>When a qualification made at <paramref name="now"/> expires: 23:59 Europe/London (GMT or BST) that London day.</summary>
    public static DateTimeOffset QualificationExpiry(DateTimeOffset now) => WhcEmulator.QualificationExpiry(now);

    /// <summary>The recent API calls (oldest first), as <c>GET /_sandbox/requests</c> returns them.</summary>
    public IReadOnlyList<RequestLogEntry> Requests => _log.Snapshot();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            _store?.Dispose();
        }
    }

    private void MapRoutes()
    {
        _app.UseRouting();
        _app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<SandboxEndpoint>() is not null)
            {
                await next(context);
                return;
            }

            var start = Stopwatch.GetTimestamp();
            var result = endpoint is null
                ? ApiResult.Error(404, "60", "Resource not found")
                : ApiResult.Error(405, "61", "Method not allowed");
            await WriteAsync(context, result);
            Log(context, null, result.Status, null, null, start);
        });

        // Each CUG-scoped route names the CUG a call is for (path or body); a client bound to others gets 403/51.
        // Orders by id or external id are scoped inside the emulator: another CUG's order looks unknown.
        Func<ApiRequest, string?> inPath = r => r.Cug;
        Func<ApiRequest, string?> customerParty = r => JsonRead.CustomerCug(r.Body);
        Api(SandboxRoutes.Token, _ => throw new UnreachableException());
        Api(SandboxRoutes.ReadCompany, r => _emulator.ReadCompany(r.Cug, r.Query("companyName")), inPath);
        Api(SandboxRoutes.ListCompanies, r => _emulator.ListCompanies(r.Cug, r.Query("offset"), r.Query("limit")), inPath);
        Api(SandboxRoutes.VerifyDomain, r => _emulator.VerifyDomain(r.Cug, r.Query("companyDomain")), inPath);
        Api(SandboxRoutes.VerifySite, r => _emulator.VerifySite(r.Cug, r.Query("siteName"), r.Query("companyServiceId")), inPath);
        Api(SandboxRoutes.VerifyUser, r => _emulator.VerifyUser(r.Cug, r.Query("username")), inPath);
        Api(SandboxRoutes.VerifyExtension, r => _emulator.VerifyExtension(r.Cug, r.Query("extension"), r.Query("companyServiceId")), inPath);
        Api(SandboxRoutes.VerifyNumbers, r => _emulator.VerifyNumbers(r.Cug, r.Query("startNumber"), r.Query("endNumber"), r.Query("companyServiceId")), inPath);
        Api(SandboxRoutes.Qualify, r => _emulator.Qualify(r.Body), customerParty);
        Api(SandboxRoutes.RingFence, r => _emulator.RingFence(r.Body), r => JsonRead.String(r.Body, "customer", "id"));
        Api(SandboxRoutes.SearchAddress, r => _emulator.SearchAddress(r.Query("postcode")));
        Api(SandboxRoutes.CreateAddress, r => _emulator.CreateAddress(r.Body));
        Api(SandboxRoutes.CreateOrder, r => _emulator.CreateOrder(r.Body), customerParty);
        Api(SandboxRoutes.ListOrders, r => _emulator.ListOrders(r.Query("externalId"), r.Binding));
        Api(SandboxRoutes.SubmitOrder, r => _emulator.SubmitOrder(r.Body, r.Binding));
        Api(SandboxRoutes.ReadOrder, r => _emulator.ReadOrder(r.RouteValue("orderId"), r.Binding));
        MapAdmin();
    }

    /// <summary>
    /// Serves contract route <paramref name="route"/> at its method and path (the path part of an absolute route). The
    /// token route also takes POST, as OAuth servers do.
    /// </summary>
    private void Api(string route, Func<ApiRequest, ApiResult> handler, Func<ApiRequest, string?>? cugOf = null)
    {
        var wire = Options.Contract.Route(route);
        var pattern = Uri.TryCreate(wire.Path, UriKind.Absolute, out var absolute) && wire.Path.Contains("://", StringComparison.Ordinal)
            ? Uri.UnescapeDataString(absolute.AbsolutePath)
            : wire.Path;
        string[] methods = route == SandboxRoutes.Token ? ["GET", "POST"] : [wire.Method];
        // A call that names no CUG goes on to the operation, whose validation reports what is missing.
        Func<ApiRequest, ApiResult> authorised = cugOf is null
            ? handler
            : r => cugOf(r) is { } cug && !r.Binding.Allows(cug) ? ApiResult.NotBoundTo(cug) : handler(r);
        _app.MapMethods(pattern, methods, (HttpContext context) => HandleAsync(context, route, authorised))
            .WithMetadata(new SandboxEndpoint(route));
    }

    private async Task HandleAsync(HttpContext context, string route, Func<ApiRequest, ApiResult> handler)
    {
        var start = Stopwatch.GetTimestamp();
        string? tracking = context.Request.Headers[TrackingHeader];
        string? clientId = null;
        string? fault = null;
        ApiResult result;
        var abort = false;
        try
        {
            (result, clientId, fault, abort) = await ProcessAsync(context, route, tracking, handler);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client closed the connection first (during a delay, or half-way through its body): no answer left.
            Log(context, route, 0, tracking, clientId, start, fault);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Options.Logger?.LogError(e, "Sandbox route {Route} failed", route);
            result = ApiResult.Error(500, "01", "Internal Server Error");
        }

        if (abort)
        {
            context.Abort();
            Log(context, route, 0, tracking, clientId, start, fault);
            return;
        }

        // A client that has gone gets no answer: the log says so (status 0) rather than what it would have been.
        if (context.RequestAborted.IsCancellationRequested)
        {
            Log(context, route, 0, tracking, clientId, start, fault);
            return;
        }

        try
        {
            await WriteAsync(context, OnTheWire(route, result));
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            Log(context, route, 0, tracking, clientId, start, fault);
            return;
        }

        Log(context, route, context.RequestAborted.IsCancellationRequested ? 0 : result.Status, tracking, clientId, start, fault);
    }

    /// <summary>
    /// The emulator's answer in the contract's shape: field maps and names translated, a success status the route's
    /// contract lists, and "no data" with the contract's status and code.
    /// </summary>
    private ApiResult OnTheWire(string route, ApiResult result)
    {
        var wire = Options.Contract.Route(route);
        if (result.IsNoData)
        {
            var envelope = Options.Contract.ErrorEnvelope;
            var body = result.Body?.DeepClone() as JsonObject ?? [];
            body["code"] = envelope.NoDataCode;
            result = result with { Status = envelope.NoDataStatus, Body = body };
        }

        if (!result.IsSuccess)
        {
            return _translator.ChangesErrors ? result with { Body = _translator.ErrorToWire(result.Body?.DeepClone()) } : result;
        }

        var status = wire.IsSuccess(result.Status) ? result.Status : wire.Success[0];
        var translated = _translator.ChangesResponses(route) ? _translator.ResponseToWire(route, result.Body?.DeepClone()) : result.Body;
        return result with { Status = status, Body = translated };
    }

    private async Task<(ApiResult Result, string? ClientId, string? Fault, bool Abort)> ProcessAsync(
        HttpContext context, string route, string? tracking, Func<ApiRequest, ApiResult> handler)
    {
        var isToken = route == SandboxRoutes.Token;
        if (tracking is null && !isToken)
        {
            return (ApiResult.Error(400, "25", $"Missing header: {TrackingHeader}"), null, null, false);
        }

        if (tracking is not null)
        {
            if (!IsValidTrackingId(tracking))
            {
                return (ApiResult.Error(400, "26", $"Invalid header: {TrackingHeader}"), null, null, false);
            }

            if (TrackingScenario(tracking) is { } scenario)
            {
                return (scenario, null, "tracking:" + tracking, false);
            }
        }

        var (authError, clientId) = isToken ? CheckBasic(context) : CheckBearer(context);
        if (authError is not null)
        {
            return (authError, clientId, null, false);
        }

        var latency = _faults.Latency();
        if (latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(latency, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client gave up while it waited: logged with status 0 under its client id.
                return (ApiResult.Error(0, "0", "client closed the connection"), clientId, null, true);
            }
        }

        var decision = _faults.Decide(route, clientId ?? "anonymous");
        var before = decision.Fault switch
        {
            ScriptedFaultKinds.InternalError => ApiResult.Error(500, "01", "Internal Server Error"),
            ScriptedFaultKinds.Unavailable => ApiResult.Error(503, "05", "Service Unavailable"),
            ScriptedFaultKinds.GatewayTimeout => ApiResult.Error(504, "69", "Downstream timeout"),
            ScriptedFaultKinds.TokenExpired => ApiResult.Error(401, "42", "Access token expired"),
            ScriptedFaultKinds.TooManyRequests => ApiResult.Error(429, "80", "Too many requests"),
            _ => null,
        };
        if (decision.Fault == ScriptedFaultKinds.Abort)
        {
            return (ApiResult.Error(0, "0", "aborted"), clientId, decision.Fault, true);
        }

        if (before is not null)
        {
            return (before with { RetryAfterSeconds = decision.RetryAfterSeconds }, clientId, decision.Fault, false);
        }

        ApiResult result;
        if (isToken)
        {
            result = IssueToken(clientId ?? "");
        }
        else
        {
            JsonNode? json = null;
            if (HttpMethods.IsPost(context.Request.Method))
            {
                ApiResult? bodyError;
                try
                {
                    (json, bodyError) = await RequestBody.ReadAsync(context, "Schema validation failed", required: true);
                }
                catch (BadHttpRequestException)
                {
                    // The body stopped short: the client closed the connection (or broke its framing) before it was
                    // whole, so no answer can reach it; logged with status 0, as docs/whc-api.md says.
                    return (ApiResult.Error(0, "0", "request body incomplete"), clientId, null, true);
                }

                if (bodyError is not null)
                {
                    return (bodyError, clientId, null, false);
                }

                json = _translator.ChangesRequests(route) ? _translator.RequestFromWire(route, json) : json;
            }

            result = handler(new ApiRequest(context, json, Options.Contract.Route(route), clientId is not null && _bindings.TryGetValue(clientId, out var binding) ? binding : CugBinding.None));
        }

        if (decision.AfterCommit && result.IsSuccess)
        {
            return decision.Fault == ScriptedFaultKinds.AbortAfterCommit
                ? (result, clientId, decision.Fault, true)
                : (ApiResult.Error(504, "69", "Downstream timeout"), clientId, decision.Fault, false);
        }

        return (result, clientId, decision.Fault, false);
    }

    private ApiResult IssueToken(string clientId)
    {
        var lifetime = _faults.TokenLifetime ?? TimeSpan.FromSeconds(SandboxOptions.DefaultTokenLifetimeSeconds);
        var token = _tokens.Issue(clientId, Clock.GetUtcNow(), lifetime);
        return ApiResult.Ok(new JsonObject
        {
            ["accessToken"] = token,
            ["tokenType"] = "BearerToken",
            ["expiresIn"] = SandboxOptions.DefaultTokenLifetimeSeconds,
        });
    }

    private (ApiResult? Error, string? ClientId) CheckBasic(HttpContext context)
    {
        var grantType = context.Request.Query["grant_type"].ToString();
        if (grantType != "client_credentials")
        {
            return (ApiResult.Error(400, "28", "Invalid query parameter: grant_type must be client_credentials"), null);
        }

        string? header = context.Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (ApiResult.Error(401, "40", "Missing credentials"), null);
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return (ApiResult.Error(401, "41", "Invalid credentials"), null);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var id = colon < 0 ? decoded : decoded[..colon];
        var secret = colon < 0 ? "" : decoded[(colon + 1)..];
        return _clients.TryGetValue(id, out var client) && CryptographicEquals(client.ClientSecret, secret)
            ? (null, id)
            : (ApiResult.Error(401, "41", "Invalid credentials"), null);
    }

    private (ApiResult? Error, string? ClientId) CheckBearer(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            return (ApiResult.Error(401, "40", "Missing credentials"), null);
        }

        var check = _tokens.Check(header["Bearer ".Length..].Trim(), Clock.GetUtcNow());
        return check.Status switch
        {
            TokenStatus.Valid => (null, check.ClientId),
            TokenStatus.Expired => (ApiResult.Error(401, "42", "Access token expired"), check.ClientId),
            _ => (ApiResult.Error(401, "41", "Invalid access token"), null),
        };
    }

    private static bool CryptographicEquals(string expected, string actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    /// <summary>BT's sandboxes fake errors for these tracking ids.</summary>
    private static ApiResult? TrackingScenario(string tracking) => tracking switch
    {
        "E00101" => ApiResult.Error(500, "01", "Internal Server Error"),
        "E00501" => ApiResult.Error(503, "05", "Service Unavailable"),
        "E02901" => ApiResult.Error(400, "29", "Schema validation failed", ["simulated by tracking id E02901"]),
        "E06001" => ApiResult.Error(404, "60", "Resource not found"),
        _ => null,
    };

    private static bool IsValidTrackingId(string value) =>
        value.Length is >= 1 and <= 255 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '~' or ':' or '@' or '-');

    private static async Task WriteAsync(HttpContext context, ApiResult result)
    {
        context.Response.StatusCode = result.Status;
        if (result.RetryAfterSeconds > 0)
        {
            context.Response.Headers.RetryAfter = result.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (result.Body is null)
        {
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.Body.ToJsonString(ResponseJson), context.RequestAborted);
    }

    private void Log(HttpContext context, string? route, int status, string? tracking, string? clientId, long start, string? fault = null) =>
        _log.Add(new RequestLogEntry(
            Clock.GetUtcNow(), context.Request.Method, context.Request.Path.Value ?? "", route, status,
            tracking is not null && IsValidTrackingId(tracking) ? tracking : null,
            Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3), clientId, fault));

    private sealed record SandboxEndpoint(string Route);

    private sealed class ApiRequest(HttpContext context, JsonNode? body, RouteContract route, CugBinding binding)
    {
        public JsonNode? Body => body;

        /// <summary>The CUGs the calling client may act for.</summary>
        public CugBinding Binding => binding;

        public string Cug => RouteValue("cugId");

        /// <summary>whcctl's query parameter <paramref name="name"/>, sent under the contract's wire name.</summary>
        public string? Query(string name) => context.Request.Query.TryGetValue(route.QueryName(name), out var value) ? value.ToString() : null;

        public string RouteValue(string name) => context.GetRouteValue(name)?.ToString() ?? "";
    }

    /// <summary>The sandbox is started and stopped by its owner (CLI or test), never by Ctrl+C handling of its own.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
