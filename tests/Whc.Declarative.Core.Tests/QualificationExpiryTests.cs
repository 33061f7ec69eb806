using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Tests;

public class QualificationExpiryTests
{
    [Fact]
    public void Should_expire_at_23_59_GMT_on_a_winter_day()
    {
        // Given a qualification made at 10:00 UTC in January
        var expiry = QualificationExpiry.For(new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero));

        // Then it expires at 23:59 GMT that day
        expiry.Should().Be(new DateTimeOffset(2026, 1, 15, 23, 59, 0, TimeSpan.Zero));
        expiry.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Should_expire_at_23_59_BST_on_a_summer_day()
    {
        // Given a qualification made at 10:00 UTC in July
        var expiry = QualificationExpiry.For(new DateTimeOffset(2026, 7, 15, 10, 0, 0, TimeSpan.Zero));

        // Then it expires at 23:59 BST (22:59 UTC) that day
        expiry.Should().Be(new DateTimeOffset(2026, 7, 15, 23, 59, 0, TimeSpan.FromHours(1)));
        expiry.Offset.Should().Be(TimeSpan.FromHours(1));
    }

    [Fact]
    public void Should_use_the_London_day_for_a_summer_qualification_made_after_23_00_UTC()
    {
        // Given 23:30 UTC on 15 July, which is already 00:30 on 16 July in London
        var expiry = QualificationExpiry.For(new DateTimeOffset(2026, 7, 15, 23, 30, 0, TimeSpan.Zero));

        // Then it expires at the end of 16 July, London time
        expiry.Should().Be(new DateTimeOffset(2026, 7, 16, 23, 59, 0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Should_use_the_same_day_for_a_winter_qualification_made_at_23_30_UTC()
    {
        // Given 23:30 UTC on 15 January (23:30 GMT in London)
        var expiry = QualificationExpiry.For(new DateTimeOffset(2026, 1, 15, 23, 30, 0, TimeSpan.Zero));

        // Then it expires 29 minutes later
        expiry.Should().Be(new DateTimeOffset(2026, 1, 15, 23, 59, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Should_honour_the_offset_of_the_given_time()
    {
        // Given 00:30 BST on 2 July written with its +01:00 offset
        var expiry = QualificationExpiry.For(new DateTimeOffset(2026, 7, 2, 0, 30, 0, TimeSpan.FromHours(1)));

        // Then it expires at 23:59 BST on 2 July
        expiry.Should().Be(new DateTimeOffset(2026, 7, 2, 23, 59, 0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Should_expire_at_23_59_GMT_on_the_day_the_clocks_go_back()
    {
        // Given a qualification made on 25 October 2026 (BST ends at 01:00 UTC that day)
        var expiry = QualificationExpiry.For(new DateTimeOffset(2026, 10, 25, 9, 0, 0, TimeSpan.Zero));

        // Then the expiry is in GMT
        expiry.Should().Be(new DateTimeOffset(2026, 10, 25, 23, 59, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("2026-11-26T22:00:00Z", null)]
    [InlineData("2026-11-26T23:53:59Z", null)]
    [InlineData("2026-11-26T23:55:00Z", "2026-11-27T00:00:00Z")]
    [InlineData("2026-11-26T23:59:30Z", "2026-11-27T00:00:00Z")]
    [InlineData("2026-07-01T22:56:00Z", "2026-07-01T23:00:00Z")] // 23:56 BST: the UK day ends at 23:00 UTC
    public void Near_the_end_of_the_UK_day_qualifying_waits_for_the_next(string now, string? until)
    {
        var margin = TimeSpan.FromMinutes(5);

        var wait = Whc.Declarative.Core.State.QualificationExpiry.TooLateToQualifyUntil(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), margin);

        wait.Should().Be(until is null ? null : DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture));
    }
}
