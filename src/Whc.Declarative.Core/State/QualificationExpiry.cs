namespace Whc.Declarative.Core.State;

/// <summary>BT's rule: a qualification expires at 23:59 UK time (Europe/London, so GMT or BST) on the day it was made.</summary>
public static class QualificationExpiry
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateTimeOffset For(DateTimeOffset qualifiedAt)
    {
        var local = TimeZoneInfo.ConvertTime(qualifiedAt, London);
        var expiry = new DateTime(local.Year, local.Month, local.Day, 23, 59, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(expiry, London.GetUtcOffset(expiry));
    }

    /// <summary>
    /// When a qualification made at <paramref name="now"/> would expire within <paramref name="margin"/> (in the last
    /// minutes of a UK day, or after 23:59), the start of the next UK day, when one made would last until its 23:59;
    /// otherwise null. Qualifying before then would only make a qualification that lapses before it can be used.
    /// </summary>
    public static DateTimeOffset? TooLateToQualifyUntil(DateTimeOffset now, TimeSpan margin)
    {
        if (For(now) - margin > now)
        {
            return null;
        }

        var tomorrow = TimeZoneInfo.ConvertTime(now, London).Date.AddDays(1);
        return new DateTimeOffset(tomorrow, London.GetUtcOffset(tomorrow));
    }

    /// <summary>
    /// Whether a company that is not active yet needs a new qualification: it has none, or (for an order that adds the
    /// company, <paramref name="mustBeUnused"/>) only a used one, or one that expires within <paramref name="margin"/>.
    /// The planner asks with no margin; apply, about to use it, with a margin for the call's own time.
    /// </summary>
    public static bool NeedsNew(QualificationRecord? qualification, bool mustBeUnused, DateTimeOffset now, TimeSpan margin) =>
        qualification is null || (mustBeUnused && qualification.Used) || qualification.ExpiresAt is not { } expires || expires - margin <= now;
}
