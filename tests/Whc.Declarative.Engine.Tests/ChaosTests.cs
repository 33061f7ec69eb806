using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;
using Whc.Declarative.Sandbox;
using Xunit.Abstractions;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// The chaos test of issues 5 and 12: an estate applied under injected 5xx, 429, timeout-after-commit and early token
/// expiry, with the "process" killed at many points (right after a call took effect, or between steps), while the
/// manifests change between runs as a busy team changes them: users added, renamed and removed, sites added and
/// removed, blocks grown, companies added, and above all whatever a killed run left in flight. Once faults stop, one
/// apply must converge; then BT's own inventory is checked: nothing duplicated, nothing lost, nothing left over.
/// </summary>
/// <remarks>
/// CI runs a short seeded profile. The long one is a documented command (docs/reliability.md):
/// <c>WHC_CHAOS_SEEDS=1,2,3,4,5 WHC_CHAOS_ROUNDS=60 dotnet test tests/Whc.Declarative.Engine.Tests --filter ChaosTests</c>.
/// Each run prints its seed, so a failure can be replayed with <c>WHC_CHAOS_SEEDS=&lt;seed&gt;</c>.
/// </remarks>
public sealed class ChaosTests(ITestOutputHelper output)
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        var configured = Environment.GetEnvironmentVariable("WHC_CHAOS_SEEDS");
        foreach (var seed in string.IsNullOrWhiteSpace(configured)
            ? [11, 23, 37]
            : configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            data.Add(seed);
        }

        return data;
    }

    private static int Rounds =>
        int.TryParse(Environment.GetEnvironmentVariable("WHC_CHAOS_ROUNDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) ? rounds : 30;

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task An_estate_whose_manifests_change_between_killed_runs_converges_with_nothing_duplicated_lost_or_left(int seed)
    {
        await using var harness = await EngineHarness.StartAsync(
            new FaultConfig
            {
                ErrorRates = new Dictionary<string, double> { [SandboxRoutes.Any] = 0.05 },
                TimeoutAfterCommitRates = new Dictionary<string, double>
                {
                    [SandboxRoutes.Qualify] = 0.15,
                    [SandboxRoutes.RingFence] = 0.15,
                    [SandboxRoutes.CreateAddress] = 0.15,
                    [SandboxRoutes.CreateOrder] = 0.15,
                    [SandboxRoutes.SubmitOrder] = 0.15,
                },
                RateLimit = new RateLimitFault(300, 20),
                TokenLifetimeSeconds = 1,
            },
            requestLogCapacity: 1_000_000);
        var random = new Random(seed);
        var estate = ChaosEstate.Start(random);
        var (kills, changes, targeted, applies, refreshFailures) = (0, 0, 0, 0, 0);

        for (var round = 0; round < Rounds; round++)
        {
            if (round > 0 && random.NextDouble() < 0.7)
            {
                // What the last run left unfinished is what a change most often collides with: aim at it first.
                var inFlight = await InFlightAsync(harness, estate.Keys);
                targeted += estate.Change(random, inFlight) ? 1 : 0;
                changes++;
            }

            // Planning only reads, so a kill there loses nothing; it gets a larger budget, or no run would get past it
            // once the estate is large. Apply is killed within its first calls, after a call took effect or before.
            var planning = new KillableApi(harness.Client, killAfterCalls: random.Next(1, 200), loseResult: false);
            var applying = new KillableApi(harness.Client, killAfterCalls: random.Next(1, 16), loseResult: random.Next(2) == 0);
            try
            {
                var plan = await harness.PlanAsync(estate.Manifests(), planning);
                applies++;
                await harness.ApplyAsync(plan, applying);
            }
            catch (ProcessKilledException)
            {
                kills++;
            }
            catch (WhcApiException)
            {
                // A refresh that met a fault fails the whole run; the pipeline simply runs again.
                refreshFailures++;
            }
        }

        var faults = harness.Sandbox.Requests.Count(r => r.Fault is not null);
        output.WriteLine($"seed {seed}: {Rounds} runs ({applies} reached apply, {refreshFailures} failed refreshing), {kills} kills, {faults} injected faults, {changes} manifest changes ({targeted} aimed at work left in flight), {estate.Keys.Count} companies");
        kills.Should().BeGreaterThan(0, "the test must actually kill runs");

        // Once faults stop, one apply converges.
        harness.Sandbox.ReplaceFaults(FaultConfig.None);
        var manifests = estate.Manifests();
        var final = await harness.ApplyAsync(await harness.PlanAsync(manifests));
        final.Succeeded.Should().BeTrue($"seed {seed}: the first apply without faults converges: " + string.Join("; ", final.Steps.Where(s => s.Message is not null).Select(s => $"{s.Step.Id}: {s.Message}")));
        var again = await harness.PlanAsync(manifests);
        again.HasChanges.Should().BeFalse($"seed {seed}: the plan after it is clean: " + string.Join("; ", again.Companies.SelectMany(c => c.Changes.Where(x => x.Action != Core.Planning.ChangeAction.NoOp).Select(x => $"{x.Address} {x.Action} ({x.Reason})").Concat(c.Steps.Select(s => s.Id.ToString())))));

        await BtHoldsExactlyTheEstateAsync(harness, estate, seed);
    }

    /// <summary>Resources named by the intents and unfinished orders the last (killed) run left in state.</summary>
    private static async Task<ImmutableArray<ResourceAddress>> InFlightAsync(EngineHarness harness, IEnumerable<string> companies)
    {
        var found = ImmutableArray.CreateBuilder<ResourceAddress>();
        foreach (var company in companies)
        {
            var state = await harness.Store.ReadAsync(company, CancellationToken.None);
            if (state is null)
            {
                continue;
            }

            foreach (var details in state.Intents.Select(IntentDetails.Read))
            {
                switch (details)
                {
                    case CreateOrderIntent order:
                        found.AddRange(order.Operations.Select(o => o.Address));
                        break;
                    case CreateAddressIntent address:
                        found.Add(new ResourceAddress(company, ResourceKind.Site, address.Site));
                        break;
                    case RingFenceIntent ringFence:
                        found.Add(new ResourceAddress(company, ResourceKind.NumberBlock, ringFence.NumberBlock));
                        break;
                }
            }

            found.AddRange(state.Orders.Where(o => o.State is OrderState.Pending or OrderState.Acknowledged or OrderState.InProgress)
                .SelectMany(o => o.Operations.Select(op => op.Address)));
        }

        return found.ToImmutable();
    }

    /// <summary>
    /// BT's truth, read from the sandbox's own inventory: each company qualified once, its ringfenced numbers equal to
    /// its block's quantity, every manifest site and user exactly once with the right attributes and nothing else
    /// active, no name ever made twice, every order completed once, no address made twice; and state holding exactly
    /// BT's ids, with no intent or lock left.
    /// </summary>
    private static async Task BtHoldsExactlyTheEstateAsync(EngineHarness harness, ChaosEstate estate, int seed)
    {
        var inventory = await harness.InventoryAsync();
        var because = $"seed {seed}";
        foreach (var company in estate.Companies)
        {
            var bt = inventory["companies"]!.AsArray().Single(c => c!["companyName"]!.GetValue<string>() == company.Name)!;
            bt["status"]!.GetValue<string>().Should().Be("active", because);
            bt["qualifications"]!.AsArray().Should().HaveCount(1, $"{because}: {company.Name} is qualified exactly once");

            var ringfenced = bt["numberRanges"]!.AsArray().Where(r => r!["status"]!.GetValue<string>() != "CEASED")
                .Sum(r => long.Parse(r!["endNumber"]!.GetValue<string>(), CultureInfo.InvariantCulture) - long.Parse(r!["startNumber"]!.GetValue<string>(), CultureInfo.InvariantCulture) + 1);
            ringfenced.Should().Be(company.Quantity, $"{because}: {company.Name} holds exactly its block's numbers");

            var sites = bt["sites"]!.AsArray();
            sites.Select(s => s!["siteName"]!.GetValue<string>()).Should().OnlyHaveUniqueItems($"{because}: no site of {company.Name} is made twice");
            sites.Where(s => s!["status"]!.GetValue<string>() == "active").Select(s => s!["siteName"]!.GetValue<string>())
                .Should().BeEquivalentTo(company.Sites.Select(s => s.Name), because);

            var users = bt["users"]!.AsArray();
            users.Select(u => u!["username"]!.GetValue<string>()).Should().OnlyHaveUniqueItems($"{because}: no user of {company.Name} is made twice");
            users.Where(u => u!["status"]!.GetValue<string>() == "active")
                .Select(u => (u!["username"]!.GetValue<string>(), u["firstName"]!.GetValue<string>(), u["lastName"]!.GetValue<string>(), u["extension"]!.GetValue<string>()))
                .Should().BeEquivalentTo(company.Sites.SelectMany(s => s.Users).Select(u => (u.Username, u.FirstName, u.LastName, u.Extension)), because);

            await Assertions.StateMatchesBtAsync(harness, company.Key, company.Name);
            File.Exists(Path.Combine(harness.Store.Directory, company.Key + ".lock")).Should().BeFalse($"{because}: no lock is left");
        }

        inventory["companies"]!.AsArray().Should().HaveCount(estate.Companies.Count, because);
        var orders = inventory["orders"]!.AsArray();
        orders.Select(o => o!["externalId"]?.GetValue<string>()).Should().OnlyHaveUniqueItems($"{because}: no order is sent twice");
        orders.Where(o => o!["state"]!.GetValue<string>() != "completed").Select(o => o!["id"]!.GetValue<string>())
            .Should().BeEmpty($"{because}: every order BT holds was submitted and completed, none left behind");
        inventory["createdAddresses"]!.AsArray()
            .GroupBy(a => (a!["postcode"]!.GetValue<string>(), a["buildingName"]!.GetValue<string>()))
            .Where(g => g.Count() > 1).Select(g => g.Key)
            .Should().BeEmpty($"{because}: no address is created twice");
    }
}

/// <summary>
/// The estate the chaos test changes: a few companies, each with one number block, sites given by NAD key or by a
/// postcode whose address BT must create, and users. Names are never reused, so anything BT holds twice is a duplicate.
/// </summary>
internal sealed class ChaosEstate
{
    private static readonly string[] AreaCodes = ["0121", "0161", "0113", "0114", "0115", "0116", "0117"];
    private int next;

    private ChaosEstate()
    {
    }

    public List<CompanyModel> Companies { get; } = [];

    public IReadOnlyCollection<string> Keys => [.. Companies.Select(c => c.Key)];

    public static ChaosEstate Start(Random random)
    {
        var estate = new ChaosEstate();
        for (var i = 0; i < 3; i++)
        {
            estate.AddCompany(random);
        }

        return estate;
    }

    public ImmutableArray<Core.Manifests.CompanyManifest> Manifests() =>
        [.. Companies.SelectMany(c => EngineHarness.Manifests(c.Yaml()))];

    /// <summary>One change to the manifests; aimed at what a killed run left in flight when there is any. True when aimed.</summary>
    public bool Change(Random random, ImmutableArray<ResourceAddress> inFlight)
    {
        var targets = inFlight.Where(a => Companies.Any(c => c.Key == a.Company)).ToList();
        if (targets.Count > 0 && random.NextDouble() < 0.75)
        {
            var target = targets[random.Next(targets.Count)];
            var company = Companies.First(c => c.Key == target.Company);
            switch (target.Kind)
            {
                case ResourceKind.User when company.SiteOf(target.Name) is { } site && site.Users.Count > 1:
                    var user = site.Users.First(u => u.Username == target.Name);
                    site.Users.Remove(user);
                    if (random.Next(2) == 0)
                    {
                        site.Users.Add(NewUser(company)); // renamed: the old name goes, a new one comes
                    }

                    return true;
                case ResourceKind.Site when company.Sites.Count > 1 && company.Sites.FirstOrDefault(s => s.Name == target.Name) is { } targetSite:
                    company.Sites.Remove(targetSite);
                    return true;
                case ResourceKind.NumberBlock:
                    company.Quantity += random.Next(1, 6);
                    return true;
            }
        }

        var any = Companies[random.Next(Companies.Count)];
        switch (random.Next(7))
        {
            case 0 when Companies.Count < 5:
                AddCompany(random);
                break;
            case 1:
                any.Sites.Add(NewSite(any, random));
                break;
            case 2 when any.Sites.Count > 1:
                any.Sites.RemoveAt(random.Next(any.Sites.Count));
                break;
            case 3:
                any.Quantity += random.Next(1, 6);
                break;
            case 4 when any.Sites.SelectMany(s => s.Users).Count() > 1:
                var site = any.Sites.Where(s => s.Users.Count > 1).DefaultIfEmpty(any.Sites[0]).First();
                if (site.Users.Count > 1)
                {
                    site.Users.RemoveAt(random.Next(site.Users.Count));
                }

                break;
            default:
                any.Sites[random.Next(any.Sites.Count)].Users.Add(NewUser(any));
                break;
        }

        // A block always holds a few numbers more than its users need: a quantity can only grow.
        foreach (var company in Companies)
        {
            company.Quantity = Math.Max(company.Quantity, company.Sites.Sum(s => s.Users.Count) + 3);
        }

        return false;
    }

    private void AddCompany(Random random)
    {
        var index = Companies.Count;
        var key = "chaos" + (char)('a' + index);
        var company = new CompanyModel(key, $"Chaos{(char)('A' + index)}Trading", AreaCodes[index % AreaCodes.Length]);
        company.Sites.Add(NewSite(company, random));
        company.Quantity = company.Sites.Sum(s => s.Users.Count) + 3;
        Companies.Add(company);
    }

    private SiteModel NewSite(CompanyModel company, Random random)
    {
        var n = ++next;
        // Every other site is given by a postcode whose address BT does not list yet, so an address step makes it.
        var premises = random.Next(2) == 0 ? $"Chaos House {n}" : null;
        var site = new SiteModel($"site-{n}", $"{company.Key[..3].ToUpperInvariant()}{n:000}", premises);
        for (var i = random.Next(1, 3); i > 0; i--)
        {
            site.Users.Add(NewUser(company));
        }

        return site;
    }

    private UserModel NewUser(CompanyModel company)
    {
        var n = ++next;
        return new UserModel($"{company.Key}.u{n}", "User", $"Number{n}", (2000 + n).ToString(CultureInfo.InvariantCulture));
    }

    internal sealed record UserModel(string Username, string FirstName, string LastName, string Extension);

    internal sealed class SiteModel(string name, string locationCode, string? premises)
    {
        public string Name { get; } = name;

        public string LocationCode { get; } = locationCode;

        public string? Premises { get; } = premises;

        public List<UserModel> Users { get; } = [];
    }

    internal sealed class CompanyModel(string key, string name, string areaCode)
    {
        public string Key { get; } = key;

        public string Name { get; } = name;

        public string AreaCode { get; } = areaCode;

        public int Quantity { get; set; }

        public List<SiteModel> Sites { get; } = [];

        public SiteModel? SiteOf(string username) => Sites.FirstOrDefault(s => s.Users.Any(u => u.Username == username));

        public string Yaml()
        {
            var yaml = new System.Text.StringBuilder();
            yaml.Append(CultureInfo.InvariantCulture, $$"""
                apiVersion: whc.declarative/v1
                kind: Company
                metadata:
                  name: {{Key}}
                spec:
                  reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
                  company: { name: {{Name}}, domain: {{Key}}.example.com, customerGroup: TestGroup }
                  numberBlocks:
                    - { name: main, areaCode: "{{AreaCode}}", quantity: {{Quantity}} }
                  sites:

                """);
            foreach (var site in Sites)
            {
                var address = site.Premises is null
                    ? "{ nadKey: X05000455530 }"
                    : $"{{ postcode: LS1 4AP, premises: {site.Premises}, street: Wellington Street, city: Leeds }}";
                yaml.Append(CultureInfo.InvariantCulture, $"    - name: {site.Name}\n      locationCode: {site.LocationCode}\n      address: {address}\n      users:\n");
                foreach (var user in site.Users)
                {
                    yaml.Append(CultureInfo.InvariantCulture, $"        - {{ username: {user.Username}, firstName: {user.FirstName}, lastName: {user.LastName}, extension: \"{user.Extension}\", number: {{ from: main }} }}\n");
                }
            }

            return yaml.ToString();
        }
    }
}

/// <summary>Thrown where a killed process would simply stop; nothing in whcctl catches it.</summary>
public sealed class ProcessKilledException : Exception
{
    public ProcessKilledException()
        : base("killed")
    {
    }

    public ProcessKilledException(string message)
        : base(message)
    {
    }

    public ProcessKilledException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Stands in for a process that dies after its Nth API call: with <c>loseResult</c> the call takes effect at BT but its
/// answer is never seen (the worst moment to die); otherwise the answer arrives and the next call is never made.
/// </summary>
public sealed class KillableApi(IWhcApi inner, int killAfterCalls, bool loseResult) : IWhcApi
{
    private int calls;
    private volatile bool dead;

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        if (dead)
        {
            throw new ProcessKilledException();
        }

        var result = await call();
        if (Interlocked.Increment(ref calls) >= killAfterCalls || dead)
        {
            dead = true;
            if (loseResult || calls > killAfterCalls)
            {
                throw new ProcessKilledException();
            }
        }

        return result;
    }

    public Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken) =>
        Call(() => inner.ReadCompanyAsync(cugId, companyName, cancellationToken));

    public Task<ImmutableArray<CompanySummary>> ListCompaniesAsync(string cugId, CancellationToken cancellationToken) =>
        Call(() => inner.ListCompaniesAsync(cugId, cancellationToken));

    public Task<bool> IsTakenAsync(string cugId, VerifyCheck check, CancellationToken cancellationToken) =>
        Call(() => inner.IsTakenAsync(cugId, check, cancellationToken));

    public Task<QualificationResult> QualifyAsync(QualificationRequest request, CancellationToken cancellationToken) =>
        Call(() => inner.QualifyAsync(request, cancellationToken));

    public Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken) =>
        Call(() => inner.RingFenceAsync(request, cancellationToken));

    public Task<ImmutableArray<AddressRecord>> SearchAddressesAsync(string postcode, CancellationToken cancellationToken) =>
        Call(() => inner.SearchAddressesAsync(postcode, cancellationToken));

    public Task<AddressRecord> CreateAddressAsync(NewAddress address, CancellationToken cancellationToken) =>
        Call(() => inner.CreateAddressAsync(address, cancellationToken));

    public Task<string> CreateOrderAsync(OrderRequest order, CancellationToken cancellationToken) =>
        Call(() => inner.CreateOrderAsync(order, cancellationToken));

    public Task SubmitOrderAsync(string orderId, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            await inner.SubmitOrderAsync(orderId, cancellationToken);
            return true;
        });

    public Task<OrderStatus> ReadOrderAsync(string orderId, CancellationToken cancellationToken) =>
        Call(() => inner.ReadOrderAsync(orderId, cancellationToken));

    public Task<OrderStatus?> FindOrderByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        Call(() => inner.FindOrderByExternalIdAsync(externalId, cancellationToken));
}
