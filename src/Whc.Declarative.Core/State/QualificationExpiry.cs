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
}
