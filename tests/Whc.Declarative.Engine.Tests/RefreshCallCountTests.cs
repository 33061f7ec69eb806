using System.Collections.Immutable;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;
using Whc.Declarative.Sandbox;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 4: how many API calls a refresh costs per company, counted both by the sandbox's request log (what BT would see)
/// and by the client's own counter. The numbers are documented in docs/benchmarks/plan-scale.md ("API calls per company").
/// </summary>
public sealed class RefreshCallCountTests
{
    [Fact]
    public async Task Refreshing_unchanged_companies_costs_one_company_read_each_and_one_token_per_run()
    {
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(string.Join("---\n",
            TestManifests.Company("alpha", "AlphaWidgets", users: 4, sites: 2),
            TestManifests.Company("bravo", "BravoWidgets", users: 5, sites: 1),
            TestManifests.Company("charlie", "CharlieWidgets", users: 3, sites: 3)));
        (await harness.PlanAndApplyAsync(manifests)).Succeeded.Should().BeTrue();

        var (calls, byClient) = await RefreshWithFreshClientAsync(harness, manifests);

        calls.Should().Equal(new Dictionary<string, int>
        {
            [SandboxRoutes.Token] = 1,
            [SandboxRoutes.ReadCompany] = 3,
        });
        byClient.Should().Equal(new Dictionary<string, long> { ["token"] = 1, ["readCompany"] = 3 });
    }

    [Fact]
    public async Task Refreshing_new_companies_costs_a_read_a_domain_check_a_username_check_per_user_and_a_search_per_postcode()
    {
        await using var harness = await EngineHarness.StartAsync();
        // Each company: 5 new users over 3 new sites, two of them at the same postcode and one given by NAD key,
        // so 1 company read + 1 domain check + 5 username checks + 1 address search.
        var manifests = EngineHarness.Manifests(string.Join("---\n", NewCompany("delta", "DeltaWidgets"), NewCompany("echo", "EchoWidgets")));

        var (calls, byClient) = await RefreshWithFreshClientAsync(harness, manifests);

        calls.Should().Equal(new Dictionary<string, int>
        {
            [SandboxRoutes.Token] = 1,
            [SandboxRoutes.ReadCompany] = 2,
            [SandboxRoutes.VerifyDomain] = 2,
            [SandboxRoutes.VerifyUser] = 10,
            [SandboxRoutes.SearchAddress] = 2,
        });
        byClient.Values.Sum().Should().Be(calls.Values.Sum(), "the client counts every request it sends, as BT would see them");
    }

    /// <summary>Refreshes with a client of its own, as one CLI run would, and returns the calls the sandbox saw by route.</summary>
    private static async Task<(Dictionary<string, int> Calls, Dictionary<string, long> ByClient)> RefreshWithFreshClientAsync(
        EngineHarness harness, ImmutableArray<CompanyManifest> manifests)
    {
        var companies = new List<(string, CompanyManifest?, CompanyState?)>();
        foreach (var manifest in manifests)
        {
            companies.Add((manifest.Key, manifest, await harness.Store.ReadAsync(manifest.Key, CancellationToken.None)));
        }

        using var client = new WhcClient(new WhcClientOptions
        {
            BaseUri = harness.Sandbox.BaseUri,
            Credentials = new WhcCredentials(SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret),
            BaseDelay = TimeSpan.FromMilliseconds(5),
            MaxAttempts = 3,
            Timeout = TimeSpan.FromSeconds(10),
            RandomSeed = 7,
        });
        var before = harness.Sandbox.Requests.Count;
        before.Should().BeLessThan(SandboxOptionsCapacity, "the request log must not have wrapped for the count to be exact");

        await new Refresher(client, 4).RefreshAllAsync(companies, CancellationToken.None);

        var seen = harness.Sandbox.Requests.Skip(before).ToList();
        // 404 is a verify check's "free"; a 429 or 5xx would have been retried and counted twice.
        seen.Should().OnlyContain(r => r.Fault == null && r.Status != 429 && r.Status < 500);
        var calls = seen.GroupBy(r => r.Route ?? r.Path).ToDictionary(g => g.Key, g => g.Count());
        return (calls, client.Calls.ByOperation.ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    private static readonly int SandboxOptionsCapacity = new SandboxOptions().RequestLogCapacity;

    private static string NewCompany(string key, string name) => $$"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: {{key}}
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: {{name}}, domain: {{key}}.example.com, customerGroup: TestGroup }
          numberBlocks:
            - { name: main, areaCode: "0113", quantity: 10 }
          sites:
            - name: leeds-hq
              locationCode: {{key.ToUpperInvariant()[..3]}}01
              address: { postcode: LS1 4AP, premises: Aire House, street: Wellington Street, city: Leeds }
              users:
                - { username: {{key}}.ann, firstName: Ann, lastName: One, extension: "2001", number: { from: main } }
                - { username: {{key}}.bob, firstName: Bob, lastName: Two, extension: "2002", number: { from: main } }
            - name: leeds-annexe
              locationCode: {{key.ToUpperInvariant()[..3]}}02
              address: { postcode: LS1 4AP, premises: Annexe, street: Wellington Street, city: Leeds }
              users:
                - { username: {{key}}.cat, firstName: Cat, lastName: Three, extension: "2003" }
            - name: studio
              locationCode: {{key.ToUpperInvariant()[..3]}}03
              address: { nadKey: A00004321789 }
              users:
                - { username: {{key}}.dan, firstName: Dan, lastName: Four, extension: "2004" }
                - { username: {{key}}.eve, firstName: Eve, lastName: Five, extension: "2005" }

        """;
}
