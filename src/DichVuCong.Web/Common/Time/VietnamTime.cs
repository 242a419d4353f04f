namespace DichVuCong.Web.Common.Time;

/// <summary>Vietnam time (UTC+7, no daylight saving) for everything a person reads; storage stays UTC.</summary>
internal static class VietnamTime
{
    public static readonly TimeZoneInfo Zone = FindZone();

    public static DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public static DateTime Now(TimeProvider time) => ToLocal(time.GetUtcNow().UtcDateTime);

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(Now(time));

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        }
        catch (TimeZoneNotFoundException)
        {
            // Containers without tzdata: Vietnam has had a fixed +7 offset since 1975.
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Giờ Việt Nam", "ICT");
        }
    }
}
