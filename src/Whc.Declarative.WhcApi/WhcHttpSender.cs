using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// Sends calls to BT: rate limit, access token (cached, renewed early, renewed once on 401/42, fetched by one caller at
/// a time for all), a fresh tracking id per request, per-request and per-call timeouts, retries by the policy in
/// docs/whc-client.md, and one log line per request. Holds to <see cref="WhcOutboundPolicy"/>: allowed origins only,
/// no redirect followed (a 3xx is an error), every answer body capped.
/// Translates bodies between whcctl's shape and the contract's at the wire, so nothing above it sees BT's names.
/// Never logs or reports the client secret or a token.
/// </summary>
internal sealed class WhcHttpSender : IDisposable
{
    public const string TrackingHeader = "APIGW-Tracking-Header";

    private static readonly ResiliencePropertyKey<CallProgress> ProgressKey = new("whcctl.call");

    private readonly WhcClientOptions options;
    private readonly WhcRetryPolicy retryPolicy;
    private readonly HttpClient http;
    private readonly RateLimiter? rateLimiter;
    private readonly ILogger logger;
    private readonly Lock tokenLock = new();
    private readonly CancellationTokenSource lifetime = new();
    private readonly WhcOutboundPolicy policy;
    private readonly SecretRedactor redactor = new();
    private readonly string baseUrl;
    private readonly WireTranslator translator;
    private readonly ResiliencePipeline<WhcResponse> retry;

    /// <summary>
    /// Why a host could not be reached (refused, a name that does not resolve), by host and port, once a call has tried
    /// it twice, and when: later calls to it fail at once for <see cref="UnreachableMemory"/>, rather than each
    /// retrying and warning again; after that a call tries again, so a long apply outlives a brief refusal.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Why, long At)> unreachable = new(StringComparer.Ordinal);
    private CachedToken? token;
    private Task<CachedToken>? pendingToken;

    public WhcHttpSender(WhcClientOptions options, WhcCallCounter counter)
    {
        this.options = options;
        Counter = counter;
        retryPolicy = new WhcRetryPolicy(options);
        logger = options.LoggerFactory.CreateLogger("Whc.Declarative.WhcApi.WhcClient");
        baseUrl = options.BaseUri.AbsoluteUri.TrimEnd('/');
        translator = new WireTranslator(options.Contract);
        policy = WhcOutboundPolicy.For(options);
        var wire = options.HttpHandler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Timeout,
        };
        WhcOutboundPolicy.FollowNoRedirect(wire);

        HttpMessageHandler handler = new OutboundPolicyHandler(wire, policy, options.MaxAnswerBytes);
        if (options.Recorder is { } recorder)
        {
            // Below the client, so every exchange is seen once, as sent; redacted by this sender's secrets.
            handler = new Recording.RecordingHandler(handler, recorder, redactor.Redact, redactor.Add, translator, options.TimeProvider);
        }

        // Timeouts are this sender's own (they cover the body too); every status is an answer, read below. A plain
        // HttpClient: no library between it and this sender reflects over types or follows redirects (native AOT).
        http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        if (options.RequestsPerSecond is double rate)
        {
            rateLimiter = CreateRateLimiter(rate);
        }

        retry = BuildRetry();
        redactor.Add(options.Credentials.ClientSecret);
        redactor.Add($"{options.Credentials.ClientId}:{options.Credentials.ClientSecret}"); // the Basic credentials, in every form (base64 included)
    }

    public WhcCallCounter Counter { get; }

    /// <summary>Sends <paramref name="call"/>, retrying as the policy allows; returns the final answer, whatever its status.</summary>
    /// <exception cref="WhcApiException">
    /// Timeout (no complete answer, connection dropped) after the allowed attempts or after <c>CallTimeout</c> in all;
    /// Redirected for a 3xx; AnswerUnbounded for a body over the cap.
    /// </exception>
    /// <exception cref="WhcConfigurationException">The outbound policy refused the request (WHC4018); nothing was sent.</exception>
    public async Task<WhcResponse> SendAsync(WhcCall call, CancellationToken cancellationToken)
    {
        // Real time, as the per-request timeout: a test clock that skips waits must not skip this bound.
        using var callTime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        callTime.CancelAfter(options.CallTimeout);
        // The company's gate (its lock), asked before every attempt; the token fetch is for no company. A closed gate
        // also ends a wait between attempts (a Retry-After) at once, so the pipeline waits on a token that the gate can
        // cancel, while an attempt in flight runs on the call's own token: cancelling a sent request would make its
        // outcome unknown, and the lock's loss must only stop what has not been sent yet.
        var gate = call.RouteName == ContractRoutes.Token ? null : BtCallGate.Current;
        using var waits = gate is null ? null : CancellationTokenSource.CreateLinkedTokenSource(callTime.Token, gate.Closed);
        var context = ResilienceContextPool.Shared.Get(waits?.Token ?? callTime.Token);
        var progress = new CallProgress(call, gate, callTime.Token);
        context.Properties.Set(ProgressKey, progress);
        WhcResponse? answer = null;
        try
        {
            answer = await retry.ExecuteAsync(static (context, state) => state.Sender.AttemptAsync(state.Progress, state.Progress.AttemptToken), context, (Sender: this, Progress: progress));
            return answer;
        }
        catch (OperationCanceledException) when (gate is not null && gate.Closed.IsCancellationRequested && !callTime.IsCancellationRequested)
        {
            // The gate closed while the call waited between attempts: nothing more was sent, and the gate says why.
            await gate.EnsureOpenAsync(cancellationToken);
            throw new StateLockLostException($"{call.Description}: not sent, the company's lock was lost");
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && callTime.IsCancellationRequested)
        {
            var consequence = call.Idempotent ? string.Empty : "; it may have taken effect at BT: the outcome is unknown";
            logger.LogWarning("WHC {Operation} {Method} {Route} -> no final answer within the call time of {CallSeconds} s", call.Operation, call.Method.Method, call.Route, options.CallTimeout.TotalSeconds);
            throw new WhcApiException(
                WhcFailureKind.Timeout,
                0,
                null,
                string.Create(CultureInfo.InvariantCulture, $"{call.Description}: no final answer within {options.CallTimeout.TotalSeconds:0.###} s in all ({Counted.Of(progress.Attempts, "attempt")}){consequence}"),
                null,
                e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            WarnOfFailedAttempts(progress, answer);
        }
    }

    /// <summary>One warning per call for all its failed attempts, with their counts and how the call ended (-v shows each attempt).</summary>
    private void WarnOfFailedAttempts(CallProgress progress, WhcResponse? answer)
    {
        if (progress.Failures.Count == 0 || !logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var ending = answer is { Status: < 500 and not 429 }
            ? string.Create(CultureInfo.InvariantCulture, $"answered on attempt {progress.Attempts}")
            : string.Create(CultureInfo.InvariantCulture, $"no answer after {Counted.Of(progress.Attempts, "attempt")}");
        logger.LogWarning("WHC {Operation} {Method} {Route} -> {Failures}; {Ending}", progress.Call.Operation, progress.Call.Method.Method, progress.Call.Route, progress.DescribeFailures(), ending);
    }

    /// <summary>
    /// The retry policy of docs/whc-client.md as a Polly pipeline: a 429 is repeated for every call (BT's gateway
    /// refused it before processing), after the Retry-After BT asked for unless that is longer than the maximum delay;
    /// a 5xx or no answer only for a call that is safe to repeat; at most <c>MaxAttempts</c> attempts in all. The delays
    /// are <see cref="WhcRetryPolicy"/>'s (seeded jitter, so a fault run can be reproduced).
    /// </summary>
    private ResiliencePipeline<WhcResponse> BuildRetry()
    {
        if (options.MaxAttempts <= 1)
        {
            return ResiliencePipeline<WhcResponse>.Empty;
        }

        return new ResiliencePipelineBuilder<WhcResponse> { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions<WhcResponse>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(RetryReason(Progress(args.Context), args.Outcome) is not null),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result is { Status: 429 } limited
                    ? retryPolicy.RetryAfter(limited.RetryAfter) ?? retryPolicy.Backoff(args.AttemptNumber + 1)
                    : retryPolicy.Backoff(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    if (logger.IsEnabled(LogLevel.Information))
                    {
                        var progress = Progress(args.Context);
                        logger.LogInformation("WHC {Operation}: {Reason}; retrying in {DelayMs} ms", progress.Call.Operation, RetryReason(progress, args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                    }

                    return default;
                },
            })
            .Build();
    }

    private static CallProgress Progress(ResilienceContext context) =>
        context.Properties.TryGetValue(ProgressKey, out var progress) ? progress : throw new InvalidOperationException("a WHC call runs without its progress");

    /// <summary>
    /// Why <paramref name="outcome"/> may be tried again, or null when it is final. A failed token fetch is final for
    /// the call: the fetch had its own retries, shared by every caller waiting on it.
    /// </summary>
    private string? RetryReason(CallProgress progress, Outcome<WhcResponse> outcome) => outcome switch
    {
        _ when progress.TokenFailed => null,
        // Nothing was sent, so any call may be tried again, but once only: a refusal is rarely transient.
        { Exception: WhcApiException { Kind: WhcFailureKind.Timeout } e } when progress.Unreachable || CouldNotConnect(e) is not null =>
            !progress.Unreachable && progress.Attempts < UnreachableAttempts ? "could not connect" : null,
        { Exception: WhcApiException { Kind: WhcFailureKind.Timeout } } when progress.Call.Idempotent => "no answer",
        { Result.Status: 429 } when (retryPolicy.AskedDelay(outcome.Result.RetryAfter) ?? TimeSpan.Zero) <= options.MaxDelay => "429 Too Many Requests",
        { Result.Status: >= 500 } when progress.Call.Idempotent => string.Create(CultureInfo.InvariantCulture, $"HTTP {outcome.Result.Status}"),
        _ => null,
    };

    /// <summary>
    /// One attempt: with a fresh token when the call needs one, and once per call repeated with a renewed token when BT
    /// says the token expired (401/42), which does not count as an attempt: the gateway refused before processing.
    /// </summary>
    private async ValueTask<WhcResponse> AttemptAsync(CallProgress progress, CancellationToken cancellationToken)
    {
        var call = progress.Call;
        var attempt = ++progress.Attempts;
        if (unreachable.TryGetValue(HostOf(call), out var known) && Stopwatch.GetElapsedTime(known.At) < UnreachableMemory)
        {
            progress.Unreachable = true;
            throw new WhcApiException(WhcFailureKind.Timeout, 0, null, $"{call.Description}: {known.Why}; not sent", null);
        }

        var accessToken = call.Authentication == WhcAuthentication.Bearer ? await GetTokenAsync(progress, cancellationToken) : null;
        var response = await SendOnceAsync(call, accessToken, attempt, progress, cancellationToken);
        if (response.Status == 401 && accessToken is not null && !progress.RenewedToken && WhcErrorEnvelope.Parse(response.Body)?.Code == "42")
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("WHC {Operation}: access token expired at BT (401/42); renewing and repeating the call", call.Operation);
            }

            InvalidateToken(accessToken);
            progress.RenewedToken = true;
            response = await SendOnceAsync(call, await GetTokenAsync(progress, cancellationToken), attempt, progress, cancellationToken);
        }

        return response;
    }

    /// <summary>What one call has done so far, across its attempts.</summary>
    private sealed class CallProgress(WhcCall call, IBtCallGate? gate, CancellationToken attemptToken)
    {
        public WhcCall Call { get; } = call;

        /// <summary>The company's gate, asked before each request leaves; null for a call made for no company.</summary>
        public IBtCallGate? Gate { get; } = gate;

        /// <summary>What cancels an attempt in flight: the caller and the call time, never the gate.</summary>
        public CancellationToken AttemptToken { get; } = attemptToken;

        public int Attempts { get; set; }

        public bool RenewedToken { get; set; }

        /// <summary>The last attempt could not connect at all (refused, unresolved name): nothing was sent.</summary>
        public bool Unreachable { get; set; }

        /// <summary>The failed attempts by kind (a status, a drop), in the order first seen, with their counts.</summary>
        public List<(string Failure, int Count)> Failures { get; } = [];

        public void NoteFailure(string failure)
        {
            lock (Failures)
            {
                var index = Failures.FindIndex(f => f.Failure == failure);
                if (index < 0)
                {
                    Failures.Add((failure, 1));
                }
                else
                {
                    Failures[index] = (failure, Failures[index].Count + 1);
                }
            }
        }

        /// <summary>The failures as one phrase, e.g. "503 (3 times), the connection failed or dropped (1 time)".</summary>
        public string DescribeFailures()
        {
            lock (Failures)
            {
                return string.Join(", ", Failures.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Failure} ({f.Count} {(f.Count == 1 ? "time" : "times")})")));
            }
        }

        /// <summary>The token this call needed could not be had; not a reason to fetch it again.</summary>
        public bool TokenFailed { get; set; }
    }

    /// <summary>The text with every secret this client knows replaced by <c>***</c> (<see cref="SecretRedactor"/>).</summary>
    public string Redact(string text) => redactor.Redact(text);

    public void Dispose()
    {
        lifetime.Cancel();
        http.Dispose();
        rateLimiter?.Dispose();
        lifetime.Dispose();
    }

    private static TokenBucketRateLimiter CreateRateLimiter(double requestsPerSecond)
    {
        if (!(requestsPerSecond > 0) || double.IsInfinity(requestsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), requestsPerSecond, "requests per second must be a positive number");
        }

        // One token per 1/rate seconds (at least 10 ms), bucket of one period's worth: no bursts above the rate.
        var period = TimeSpan.FromSeconds(Math.Max(1 / requestsPerSecond, 0.01));
        var tokensPerPeriod = Math.Max(1, (int)Math.Round(requestsPerSecond * period.TotalSeconds));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokensPerPeriod,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private async Task<WhcResponse> SendOnceAsync(WhcCall call, string? accessToken, int attempt, CallProgress progress, CancellationToken cancellationToken)
    {
        var gate = progress.Gate;
        if (call.Authentication == WhcAuthentication.Basic && call.RouteName != ContractRoutes.Token)
        {
            throw new InvalidOperationException("client credentials go only with the token call");
        }

        if (rateLimiter is not null)
        {
            using var lease = await rateLimiter.AcquireAsync(1, cancellationToken);
        }

        if (gate is not null)
        {
            // Last thing before the request leaves (after the token and the rate limit, which may wait): a refusal
            // throws here, outside the send, so it is never read as a request whose outcome is unknown.
            await gate.EnsureOpenAsync(cancellationToken);
        }

        var trackingId = Guid.NewGuid().ToString("D");
        using var request = new HttpRequestMessage(call.Method, BuildUrl(call));
        request.Headers.TryAddWithoutValidation(TrackingHeader, trackingId);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", accessToken is null
            ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Credentials.ClientId}:{options.Credentials.ClientSecret}"))
            : "Bearer " + accessToken);
        request.Content = call.JsonBody is null ? null : new StringContent(ToWire(call), Encoding.UTF8, "application/json");
        Counter.Increment(call.Operation);
        var started = options.TimeProvider.GetTimestamp();
        // One bound for the request and its whole body, so a trickled answer times out like a silent one.
        using var attemptTime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTime.CancelAfter(options.Timeout);
        try
        {
            using var response = await SendOverWireAsync(request, attemptTime.Token);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                throw Redirected(call, status, response.Headers.Location, response.RequestMessage?.RequestUri, trackingId);
            }

            var body = await response.Content.ReadAsStringAsync(attemptTime.Token);
            var elapsed = options.TimeProvider.GetElapsedTime(started);
            // Every attempt at Information, so -v shows each with its tracking id; a failed one is counted for the
            // call's one warning (SendAsync), so a retried outage is one line, not one per attempt.
            if (status is >= 500 or 429)
            {
                progress.NoteFailure(status.ToString(CultureInfo.InvariantCulture));
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.Log(
                    LogLevel.Information,
                    "WHC {Operation} {Method} {Route} -> {Status} in {DurationMs} ms (attempt {Attempt}, tracking id {TrackingId})",
                    call.Operation,
                    call.Method.Method,
                    call.Route,
                    status,
                    (long)elapsed.TotalMilliseconds,
                    attempt,
                    trackingId);
            }

            var canonical = FromWire(call, status, body);
            return new WhcResponse(status, canonical, trackingId, response.Headers.RetryAfter, IsNoData(status, canonical));
        }
        catch (Exception ex) when (Find<OutboundRefusedException>(ex) is { } refused)
        {
            // The handler next to the wire refused it: nothing was sent.
            throw new WhcConfigurationException(DiagnosticCatalog.ApiCallRefused.At(SourceSpan.None, call.Description, refused.Message));
        }
        catch (Exception ex) when (Find<AnswerTooLargeException>(ex) is { } tooLarge)
        {
            logger.LogWarning(
                "WHC {Operation} {Method} {Route} -> answer larger than {Cap} (attempt {Attempt}, tracking id {TrackingId})",
                call.Operation,
                call.Method.Method,
                call.Route,
                WhcOutboundPolicy.Size(tooLarge.Cap),
                attempt,
                trackingId);
            throw new WhcApiException(
                WhcFailureKind.AnswerUnbounded,
                0,
                null,
                $"{call.Description}: the answer on route '{call.RouteName}' is larger than the {WhcOutboundPolicy.Size(tooLarge.Cap)} whcctl reads; it was not read{Consequence(call)} (tracking id {trackingId})",
                trackingId);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("the WHC call was cancelled", ex, cancellationToken);
            }

            var elapsed = options.TimeProvider.GetElapsedTime(started);
            var timedOut = attemptTime.IsCancellationRequested || Find<OperationCanceledException>(ex) is not null;
            if (!timedOut && CouldNotConnect(ex) is { } reason)
            {
                var where = string.Create(CultureInfo.InvariantCulture, $"cannot connect to {HostOf(call)}: {reason}");
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("WHC {Operation} {Method} {Route} -> {Failure} (attempt {Attempt})", call.Operation, call.Method.Method, call.Route, where, attempt);
                }

                if (attempt >= UnreachableAttempts)
                {
                    unreachable[HostOf(call)] = (where, Stopwatch.GetTimestamp());
                }

                throw new WhcApiException(WhcFailureKind.Timeout, 0, null, string.Create(CultureInfo.InvariantCulture, $"{call.Description}: {where}; nothing was sent ({attempt} attempts)"), null, ex);
            }

            var what = timedOut
                ? string.Create(CultureInfo.InvariantCulture, $"no complete answer within {options.Timeout.TotalSeconds:0.###} s")
                : "the connection failed or dropped";
            progress.NoteFailure(timedOut ? "no complete answer in time" : "the connection failed or dropped");
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation(
                    "WHC {Operation} {Method} {Route} -> {Failure} after {DurationMs} ms (attempt {Attempt}, tracking id {TrackingId})",
                    call.Operation,
                    call.Method.Method,
                    call.Route,
                    what,
                    (long)elapsed.TotalMilliseconds,
                    attempt,
                    trackingId);
            }

            var consequence = call.Idempotent
                ? string.Create(CultureInfo.InvariantCulture, $"gave up after {Counted.Of(attempt, "attempt")}")
                : "it was not repeated because it may have taken effect at BT; the outcome is unknown";
            throw new WhcApiException(
                WhcFailureKind.Timeout,
                0,
                null,
                $"{call.Description}: {what}; {consequence} (tracking id {trackingId})",
                trackingId,
                ex);
        }
    }

    /// <summary>
    /// Sends one request. Whatever the handlers under the client throw is a failed exchange: anything that is not already
    /// a transport failure is wrapped as one (the cause stays inside it, for the policy's refusals and the body cap).
    /// </summary>
    private async Task<HttpResponseMessage> SendOverWireAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (ex is not (HttpRequestException or OperationCanceledException or IOException))
        {
            throw new HttpRequestException(ex.Message, ex);
        }
    }

    /// <summary>Attempts in all for a call that cannot connect: the first and one retry.</summary>
    private const int UnreachableAttempts = 2;

    /// <summary>How long a host that could not be connected to is not tried again (real time, as the request timeout).</summary>
    private static readonly TimeSpan UnreachableMemory = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Why a request could not even connect (a refusal, a name that does not resolve, no route to the host), or null
    /// when it may have reached the other end (a drop, a TLS failure, a timeout): only the first is safe to call final.
    /// </summary>
    private static string? CouldNotConnect(Exception exception)
    {
        if (Find<HttpRequestException>(exception) is { HttpRequestError: HttpRequestError.NameResolutionError })
        {
            return "the name does not resolve";
        }

        return Find<SocketException>(exception)?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the name does not resolve",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to the host",
            _ => null,
        };
    }

    /// <summary>Where a call goes, as host and port (never its path or query).</summary>
    private string HostOf(WhcCall call) => WhcOutboundPolicy.HostAndPort(new Uri(BuildUrl(call)));

    private static string Consequence(WhcCall call) => call.Idempotent ? string.Empty : "; the call may have taken effect at BT: the outcome is unknown";

    /// <summary>A 3xx: never followed, never read as an answer; named by its status and the host it points to (never its path or query).</summary>
    private WhcApiException Redirected(WhcCall call, int status, Uri? location, Uri? requestUri, string trackingId)
    {
        // A relative Location is resolved as a client would: "//other.host/x" names another host, "/x" this one.
        var target = location is { IsAbsoluteUri: false } && requestUri is not null && Uri.TryCreate(requestUri, location, out var resolved) ? resolved : location;
        var where = target switch
        {
            // ASCII host and port only: the Location's user info, path and query stay out of messages and logs.
            { IsAbsoluteUri: true } => WhcOutboundPolicy.HostAndPort(target),
            _ => "no Location",
        };
        logger.LogWarning(
            "WHC {Operation} {Method} {Route} -> {Status} redirect to {Host}, not followed (tracking id {TrackingId})",
            call.Operation,
            call.Method.Method,
            call.Route,
            status,
            where,
            trackingId);
        return new WhcApiException(
            WhcFailureKind.Redirected,
            status,
            null,
            string.Create(CultureInfo.InvariantCulture, $"{call.Description}: BT answered {status}, a redirect to {where}; whcctl follows no redirect{Consequence(call)} (tracking id {trackingId})"),
            trackingId);
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private string ToWire(WhcCall call)
    {
        var body = call.JsonBody ?? string.Empty;
        return translator.ChangesRequests(call.RouteName) && JsonNode.Parse(body) is { } node
            ? translator.RequestToWire(call.RouteName, node)?.ToJsonString() ?? body
            : body;
    }

    /// <summary>The answer in whcctl's shape: the route's answer on a success status, the error envelope otherwise.</summary>
    private string FromWire(WhcCall call, int status, string body)
    {
        var route = options.Contract.Route(call.RouteName);
        var success = route.IsSuccess(status);
        if ((success && !translator.ChangesResponses(call.RouteName)) || (!success && !translator.ChangesErrors) || string.IsNullOrWhiteSpace(body))
        {
            return body;
        }

        try
        {
            var node = JsonNode.Parse(body);
            var translated = success ? translator.ResponseFromWire(call.RouteName, node) : translator.ErrorFromWire(node);
            return translated?.ToJsonString() ?? body;
        }
        catch (JsonException)
        {
            return body; // Not JSON: the reader says so, with BT's status.
        }
    }

    private bool IsNoData(int status, string body)
    {
        var envelope = options.Contract.ErrorEnvelope;
        return status == envelope.NoDataStatus && WhcErrorEnvelope.Parse(body)?.Code == envelope.NoDataCode;
    }

    private string BuildUrl(WhcCall call)
    {
        // An absolute route (an API on another host, as the guide's address search) replaces the endpoint.
        var url = new StringBuilder(call.Path.Contains("://", StringComparison.Ordinal) ? call.Path : baseUrl + call.Path);
        var separator = '?';
        foreach (var (name, value) in call.Query)
        {
            url.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return url.ToString();
    }

    /// <summary>Fetches a fresh token (for <c>whcctl doctor</c>) and returns the lifetime BT gave it.</summary>
    public async Task<TimeSpan> ProbeTokenAsync(CancellationToken cancellationToken)
    {
        var fresh = await FetchTokenAsync(cancellationToken);
        Volatile.Write(ref token, fresh);
        return fresh.Lifetime;
    }

    /// <summary>
    /// A fresh token: the cached one, or the result of the one fetch in flight, which every caller shares, success or
    /// failure (a failed fetch is not repeated by each waiter; the next call after it starts a new one).
    /// </summary>
    private async Task<string> GetTokenAsync(CallProgress progress, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref token);
        if (current is not null && options.TimeProvider.GetUtcNow() < current.RenewAt)
        {
            return current.Value;
        }

        Task<CachedToken> fetch;
        lock (tokenLock)
        {
            current = Volatile.Read(ref token);
            if (current is not null && options.TimeProvider.GetUtcNow() < current.RenewAt)
            {
                return current.Value;
            }

            fetch = pendingToken ??= FetchSharedTokenAsync();
        }

        try
        {
            return (await fetch.WaitAsync(cancellationToken)).Value;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            progress.TokenFailed = true;
            throw;
        }
    }

    /// <summary>The fetch every waiting caller shares: bound to the client's life, not to the first caller's cancellation.</summary>
    private Task<CachedToken> FetchSharedTokenAsync() => Task.Run(async () =>
    {
        // Shared by every company's calls: not one company's (the task inherited the caller's flow).
        BtCallGate.Enter(null);
        try
        {
            var fresh = await FetchTokenAsync(lifetime.Token);
            Volatile.Write(ref token, fresh);
            return fresh;
        }
        finally
        {
            lock (tokenLock)
            {
                pendingToken = null;
            }
        }
    });

    private void InvalidateToken(string value)
    {
        var current = Volatile.Read(ref token);
        if (current is not null && current.Value == value)
        {
            Interlocked.CompareExchange(ref token, null, current);
        }
    }

    private async Task<CachedToken> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var route = options.Contract.Route(ContractRoutes.Token);
        var call = new WhcCall(
            "token",
            "getting an access token",
            route.Method == "POST" ? HttpMethod.Post : HttpMethod.Get,
            ContractRoutes.Token,
            route.Path,
            route.Path,
            [new("grant_type", "client_credentials")],
            null,
            Idempotent: true,
            WhcAuthentication.Basic);
        var response = await SendAsync(call, cancellationToken);
        if (!route.IsSuccess(response.Status))
        {
            var failure = WhcErrorEnvelope.ToException(call.Description, response, Redact);
            if (response.Status is 401 or 403)
            {
                throw new WhcApiException(
                    WhcFailureKind.Unauthorized,
                    failure.Status,
                    failure.BtCode,
                    $"BT refused the client credentials of client id '{options.Credentials.ClientId}' ({failure.Message}); check WHC_CLIENT_ID and WHC_CLIENT_SECRET",
                    failure.TrackingId);
            }

            throw failure;
        }

        var parsed = WhcWireFormat.ReadToken(response);
        redactor.Add(parsed.AccessToken);
        var lifetime = parsed.ExpiresIn;
        var margin = TimeSpan.FromTicks(Math.Min(Math.Max(lifetime.Ticks / 10, TimeSpan.FromSeconds(60).Ticks), lifetime.Ticks / 2));
        return new CachedToken(parsed.AccessToken, options.TimeProvider.GetUtcNow() + lifetime - margin, lifetime);
    }

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt, TimeSpan Lifetime)
    {
        public override string ToString() => $"CachedToken {{ RenewAt = {RenewAt:O} }}";
    }
}
