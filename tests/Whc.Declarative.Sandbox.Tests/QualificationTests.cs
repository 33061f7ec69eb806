using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

public sealed class QualificationTests
{
    [Fact]
    public async Task On_a_GMT_day_the_qualification_expires_at_23_59_UTC()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { Clock = new FixedClock(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero)) });
        var reply = await sandbox.QualifyAsync();
        reply.Json!["expirationDate"]!.GetValue<string>().Should().Be("2026-11-26T23:59:00+00:00");
    }

    [Fact]
    public async Task On_a_BST_day_the_qualification_expires_at_23_59_London_which_is_22_59_UTC()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { Clock = new FixedClock(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero)) });
        var reply = await sandbox.QualifyAsync();
        reply.Json!["expirationDate"]!.GetValue<string>().Should().Be("2026-07-01T23:59:00+01:00");
    }

    [Fact]
    public void Just_after_midnight_UTC_in_summer_the_London_day_is_still_the_same_day()
    {
        // 23:30 UTC on 1 July is 00:30 BST on 2 July: the qualification lasts until 23:59 BST on 2 July.
        WhcEmulatorExpiry(new DateTimeOffset(2026, 7, 1, 23, 30, 0, TimeSpan.Zero)).Should().Be(new DateTimeOffset(2026, 7, 2, 22, 59, 0, TimeSpan.Zero));
    }

    private static DateTimeOffset WhcEmulatorExpiry(DateTimeOffset now) => SandboxServer.QualificationExpiry(now);

    [Fact]
    public async Task An_order_made_after_23_59_London_time_is_refused_because_the_qualification_expired()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        var range = (await sandbox.RingFenceAsync(serviceId, qualification)).Json!["numberRange"]!;
        await sandbox.SetClockAsync("2026-11-26T23:59:30Z");

        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com",
            range["startNumber"]!.GetValue<string>(), range["endNumber"]!.GetValue<string>()));

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("expired");
    }

    [Fact]
    public async Task An_order_made_at_23_58_London_time_is_accepted()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        var range = (await sandbox.RingFenceAsync(serviceId, qualification)).Json!["numberRange"]!;
        await sandbox.SetClockAsync("2026-11-26T23:58:00Z");

        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com",
            range["startNumber"]!.GetValue<string>(), range["endNumber"]!.GetValue<string>()));

        reply.Code.Should().Be(201, reply.Json?.ToJsonString());
    }

    [Fact]
    public async Task A_name_taken_by_another_reseller_is_unqualified_whatever_its_case()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.QualifiedAsync("TheFunNetwork", "fun.example", SandboxHarness.OtherCug);

        var reply = await sandbox.QualifyAsync("thefunnetwork", "other.example");

        reply.Code.Should().Be(201);
        var item = reply.Json!["productOfferingQualificationItem"]![0]!;
        item["qualificationItemResult"]!.GetValue<string>().Should().Be("Unqualified");
        item["eligibilityUnavailabilityReason"]![0]!["code"]!.GetValue<string>().Should().Be("nameTaken");
    }

    [Fact]
    public async Task A_domain_taken_by_another_company_is_unqualified()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.QualifiedAsync("Acme", "ACME.example", SandboxHarness.OtherCug);

        var reply = await sandbox.QualifyAsync("Other Name", "acme.EXAMPLE");

        var item = reply.Json!["productOfferingQualificationItem"]![0]!;
        item["qualificationItemResult"]!.GetValue<string>().Should().Be("Unqualified");
        item["eligibilityUnavailabilityReason"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()).Should().Equal("domainTaken");
    }

    [Fact]
    public async Task Requalifying_the_same_company_renews_it_with_a_new_id_and_the_same_service_id()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var first = await sandbox.QualifiedAsync();
        var second = await sandbox.QualifiedAsync();
        second.ServiceId.Should().Be(first.ServiceId);
        second.QualificationId.Should().NotBe(first.QualificationId);
    }

    [Fact]
    public async Task A_lapsed_qualification_frees_the_name_for_another_reseller()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.QualifiedAsync("Acme", "acme.example", SandboxHarness.OtherCug);
        await sandbox.AdvanceClockAsync("P1D");

        var reply = await sandbox.QualifyAsync("Acme", "acme.example");

        reply.Json!["productOfferingQualificationItem"]![0]!["qualificationItemResult"]!.GetValue<string>().Should().Be("Qualified");
    }

    [Fact]
    public async Task Missing_characteristics_get_400_29_naming_them()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var body = Bodies.Qualify("Acme", "acme.example");
        body["productOfferingQualificationItem"]![0]!["product"]!["productCharacteristic"] = new JsonArray();

        var reply = await sandbox.PostAsync(Paths.Qualify, body);

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("customerName").And.Contain("customerDomain").And.Contain("customerGroup");
    }
}
