using System.Globalization;
using DichVuCong.Web.Common.Time;

namespace DichVuCong.Web.Common.Web;

/// <summary>vi-VN formats for people: dd/MM/yyyy, HH:mm, 1.234.567 đ.</summary>
internal static class Formats
{
    public static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateTime utc) => VietnamTime.ToLocal(utc).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTime utc) => VietnamTime.ToLocal(utc).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>A date typed as dd/MM/yyyy (d/M/yyyy too) or sent by a date picker as yyyy-MM-dd; null when it is neither.</summary>
    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static string Money(long vnd) => vnd.ToString("#,0", Vietnamese) + " đ";

    public static string Number(long value) => value.ToString("#,0", Vietnamese);
}
