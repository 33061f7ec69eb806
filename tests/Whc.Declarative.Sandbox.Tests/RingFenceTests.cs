namespace Whc.Declarative.Sandbox.Tests;

public sealed class RingFenceTests
{
    [Fact]
    public async Task Consecutive_ringfences_get_contiguous_ranges_from_the_drama_range()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();

        var first = (await sandbox.RingFenceAsync(serviceId, qualification, 10)).Json!["numberRange"]!;
        var second = (await sandbox.RingFenceAsync(serviceId, qualification, 5)).Json!["numberRange"]!;

        (first["startNumber"]!.GetValue<string>(), first["endNumber"]!.GetValue<string>()).Should().Be(("01214960000", "01214960009"));
        (second["startNumber"]!.GetValue<string>(), second["endNumber"]!.GetValue<string>()).Should().Be(("01214960010", "01214960014"));
    }

    [Theory]
    [InlineData("020", "02079460000")]
    [InlineData("01632", "01632960000")]
    [InlineData("0161", "01614960000")]
    [InlineData("0113", "01134960000")]
    public async Task Each_area_code_draws_from_its_own_Ofcom_drama_range(string areaCode, string firstNumber)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();

        var reply = await sandbox.RingFenceAsync(serviceId, qualification, 1, areaCode);

        reply.Json!["numberRange"]!["startNumber"]!.GetValue<string>().Should().Be(firstNumber);
    }

    [Fact]
    public async Task Ranges_are_never_shared_between_companies()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var a = await sandbox.QualifiedAsync("A", "a.example");
        var b = await sandbox.QualifiedAsync("B", "b.example");
        await sandbox.RingFenceAsync(a.ServiceId, a.QualificationId, 3);

        var reply = await sandbox.RingFenceAsync(b.ServiceId, b.QualificationId, 1);

        reply.Json!["numberRange"]!["startNumber"]!.GetValue<string>().Should().Be("01214960003");
    }

    [Fact]
    public async Task When_the_range_cannot_supply_the_quantity_the_ringfence_is_refused_as_exhausted()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        (await sandbox.RingFenceAsync(serviceId, qualification, 995)).Code.Should().Be(201);

        var reply = await sandbox.RingFenceAsync(serviceId, qualification, 6);

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["message"]!.GetValue<string>().Should().Be("number range exhausted");
    }

    [Fact]
    public async Task An_unknown_area_code_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        var reply = await sandbox.RingFenceAsync(serviceId, qualification, 1, "09999");
        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    [Fact]
    public async Task A_qualifier_that_is_not_the_company_live_qualification_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (_, serviceId) = await sandbox.QualifiedAsync();
        var reply = await sandbox.RingFenceAsync(serviceId, "QFW999999");
        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    [Fact]
    public async Task An_unknown_service_id_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, _) = await sandbox.QualifiedAsync();
        var reply = await sandbox.RingFenceAsync("WHHCBTWKN9999", qualification);
        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    [Fact]
    public async Task Another_reseller_cannot_ringfence_for_a_company_it_does_not_own()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        var reply = await sandbox.RingFenceAsync(serviceId, qualification, cug: SandboxHarness.OtherCug);
        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }
}
