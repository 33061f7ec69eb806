// Load benchmark for the WHC sandbox: starts it in-process on a free loopback port (faults off), takes a token,
// qualifies one company, then drives company reads from N concurrent clients for a fixed duration and reports
// requests/s and latency percentiles. Usage:
//   dotnet run -c Release --project bench/Whc.Declarative.Sandbox.LoadBench -- [--clients 16] [--seconds 10] [--warmup 2] [--output docs/benchmarks/sandbox-load.md]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Sandbox;

var settings = BenchSettings.Parse(args);
await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), CancellationToken.None);
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { BaseAddress = sandbox.BaseUri };

var token = await TokenAsync(http);
await QualifyAsync(http, token);
var path = "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/company?companyName=TheFunNetwork";

Console.Error.WriteLine($"Sandbox at {sandbox.BaseUri}; warming up {settings.WarmupSeconds} s, then {settings.Clients} clients for {settings.Seconds} s.");
await RunAsync(http, path, token, settings.Clients, TimeSpan.FromSeconds(settings.WarmupSeconds));
var result = await RunAsync(http, path, token, settings.Clients, TimeSpan.FromSeconds(settings.Seconds));

var report = Render(result, settings);
Console.WriteLine(report);
if (settings.Output is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.Output)) ?? ".");
    await File.WriteAllTextAsync(settings.Output, report);
    Console.Error.WriteLine($"Written to {settings.Output}");
}

return result.Errors == 0 ? 0 : 1;

static async Task<string> TokenAsync(HttpClient http)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, "/oauth/accesstoken?grant_type=client_credentials");
    request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SandboxOptions.DefaultClientId}:{SandboxOptions.DefaultClientSecret}")));
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    return JsonNode.Parse(await response.Content.ReadAsStringAsync())?["accessToken"]?.GetValue<string>()
        ?? throw new InvalidOperationException("no token");
}

static async Task QualifyAsync(HttpClient http, string token)
{
    const string Body = """
        {"relatedParty":[{"id":"CUG5019851064","role":"customer","@referredType":"BtCug"}],"billingAccount":{"id":"GB12345678"},
         "productOfferingQualificationItem":[{"id":"1","productOffering":{"id":"WHCCompany"},"product":{"productCharacteristic":[
          {"name":"customerName","value":"TheFunNetwork"},{"name":"customerDomain","value":"thefunnetwork.com"},{"name":"customerGroup","value":"SWAINsTelecom"}]}}]}
        """;
    using var request = new HttpRequestMessage(HttpMethod.Post, "/bt-wholesale/v1/whc/productOfferingQualification")
    {
        Content = new StringContent(Body, Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    request.Headers.Add("APIGW-Tracking-Header", "bench-setup");
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
}

static async Task<BenchResult> RunAsync(HttpClient http, string path, string token, int clients, TimeSpan duration)
{
    var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    var workers = Enumerable.Range(0, clients).Select(async worker =>
    {
        var latencies = new List<double>(100_000);
        var errors = 0;
        var sequence = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("APIGW-Tracking-Header", string.Create(CultureInfo.InvariantCulture, $"bench-{worker}-{sequence++}"));
            var begin = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            if ((int)response.StatusCode != 200)
            {
                errors++;
            }
        }

        return (latencies, errors);
    }).ToArray();
    var outcomes = await Task.WhenAll(workers);
    var elapsed = Stopwatch.GetElapsedTime(started);
    var all = outcomes.SelectMany(o => o.latencies).Order().ToArray();
    return new BenchResult(all.Length, outcomes.Sum(o => o.errors), elapsed, all);
}

static string Render(BenchResult r, BenchSettings s)
{
    static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
    double P(double q) => r.Latencies.Length == 0 ? 0 : r.Latencies[Math.Min(r.Latencies.Length - 1, (int)Math.Ceiling(q * r.Latencies.Length) - 1)];
    var rps = r.Requests / r.Elapsed.TotalSeconds;
    var sb = new StringBuilder();
    sb.AppendLine("# Sandbox load benchmark");
    sb.AppendLine();
    sb.AppendLine("Generated by `dotnet run -c Release --project bench/Whc.Declarative.Sandbox.LoadBench -- --output docs/benchmarks/sandbox-load.md`.");
    sb.AppendLine("The sandbox runs in-process on 127.0.0.1 (Kestrel, faults off, memory only, request log on); the load is");
    sb.AppendLine("`GET .../resellers/{cugId}/company?companyName=...` (verify/read company, 200 with the full record), each call with");
    sb.AppendLine("a bearer token and a fresh tracking id. Client and server share the machine, so the number is a floor.");
    sb.AppendLine();
    sb.AppendLine("| Measure | Value |");
    sb.AppendLine("|---|---|");
    sb.AppendLine(CultureInfo.InvariantCulture, $"| Date (UTC) | {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} |");
    sb.AppendLine(CultureInfo.InvariantCulture, $"| Machine | {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version} |");
    sb.AppendLine(CultureInfo.InvariantCulture, $"| Concurrent clients | {s.Clients} |");
    sb.AppendLine(CultureInfo.InvariantCulture, $"| Duration | {F(r.Elapsed.TotalSeconds)} s (after {s.WarmupSeconds} s warm-up) |");
    sb.AppendLine(CultureInfo.InvariantCulture, $"| Requests | {r.Requests} ({r.Errors} not 200) |");
    sb.AppendLine(CultureInfo.InvariantCulture, $"| **Throughput** | **{rps.ToString("0", CultureInfo.InvariantCulture)} requests/s** (goal: at least 2,000) |");
    sb.AppendLine(CultureInfo.InvariantCulture, $"| Latency p50 / p90 / p99 / max | {F(P(0.50))} / {F(P(0.90))} / {F(P(0.99))} / {F(r.Latencies.LastOrDefault())} ms |");
    return sb.ToString();
}

internal sealed record BenchResult(int Requests, int Errors, TimeSpan Elapsed, double[] Latencies);

internal sealed record BenchSettings(int Clients, int Seconds, int WarmupSeconds, string? Output)
{
    public static BenchSettings Parse(string[] args)
    {
        var clients = 16;
        var seconds = 10;
        var warmup = 2;
        string? output = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--clients": clients = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 512); break;
                case "--seconds": seconds = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 120); break;
                case "--warmup": warmup = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 0, 30); break;
                case "--output": output = args[i + 1]; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        return new BenchSettings(clients, seconds, warmup, output);
    }
}
