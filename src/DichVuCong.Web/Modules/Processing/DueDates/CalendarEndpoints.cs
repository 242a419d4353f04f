using System.Globalization;
using System.Text.RegularExpressions;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DichVuCong.Web.Modules.Processing.DueDates;

internal sealed record CalendarDayItem(DateOnly Date, bool Working, string Name);

internal sealed record OpeningHoursItem(int DayOfWeek, string DayName, string Opens, string Closes);

internal sealed record HolidaysResponse(int Year, string? AgencyCode, IReadOnlyList<CalendarDayItem> Days, IReadOnlyList<OpeningHoursItem> WorkingHours);

internal sealed record DueDateResponse(DateTimeOffset ReceivedAt, DateTimeOffset CountedFrom, DateTimeOffset DueAt);

/// <summary>
/// The public calendar: an agency's days off and make-up working days, and the due date of a time limit, for
/// citizens planning a visit. Anonymous; answered from <see cref="WorkingCalendars"/> without a database query.
/// </summary>
internal static partial class CalendarEndpoints
{
    private const decimal MaxWorkingDays = 365;

    public static void MapCalendar(this IEndpointRouteBuilder api)
    {
        api.MapGet("/calendar/holidays", HolidaysAsync)
            .WithName("ListHolidays")
            .WithSummary("Ngày nghỉ lễ, Tết và ngày làm bù trong năm, giờ làm việc của cơ quan")
            .WithDescription("agencyCode: mã định danh cơ quan (bỏ trống: lịch chung); year: năm (bỏ trống: năm nay). Chỉ liệt kê ngày nghỉ rơi vào ngày cơ quan thường làm việc và các ngày làm bù.")
            .AllowAnonymous();
        api.MapGet("/calendar/due-date", DueDateAsync)
            .WithName("CalculateDueDate")
            .WithSummary("Tính ngày hẹn trả theo số ngày hoặc số giờ làm việc kể từ khi tiếp nhận")
            .WithDescription("receivedAt theo ISO 8601 (không có múi giờ: giờ Việt Nam; bỏ trống: bây giờ); workingDays hoặc workingHours. Một ngày làm việc là 8 giờ làm việc; thời điểm trả về có múi giờ +07:00.")
            .AllowAnonymous();
    }

    private static async Task<Results<Ok<HolidaysResponse>, ValidationProblem, ProblemHttpResult>> HolidaysAsync(
        WorkingCalendars calendars,
        TimeProvider time,
        CancellationToken cancellationToken,
        string? agencyCode = null,
        string? year = null)
    {
        var theYear = VietnamTime.Today(time).Year;
        if (!string.IsNullOrWhiteSpace(year) && (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out theYear) || theYear is < 2000 or > 2100))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["year"] = ["Năm là một số từ 2000 đến 2100, ví dụ 2026."] }, title: "Tham số không hợp lệ");
        }

        var calendar = await calendars.ForAgencyCodeAsync(agencyCode, cancellationToken);
        if (calendar is null)
        {
            return UnknownAgency(agencyCode!);
        }

        var days = calendar.Exceptions
            .Where(d => d.Date.Year == theYear && (d.IsWorkingDay || calendar.OpensOn(d.Date.DayOfWeek)))
            .Select(d => new CalendarDayItem(d.Date, d.IsWorkingDay, d.Name))
            .ToList();
        var hours = calendar.Hours
            .Select(p => new OpeningHoursItem(WorkingCalendar.IsoDay(p.Day), DayName(p.Day), Clock(p.Opens), Clock(p.Closes)))
            .ToList();
        return TypedResults.Ok(new HolidaysResponse(theYear, string.IsNullOrWhiteSpace(agencyCode) ? null : agencyCode.Trim(), days, hours));
    }

    private static async Task<Results<Ok<DueDateResponse>, ValidationProblem, ProblemHttpResult>> DueDateAsync(
        WorkingCalendars calendars,
        TimeProvider time,
        CancellationToken cancellationToken,
        string? agencyCode = null,
        string? receivedAt = null,
        string? workingDays = null,
        string? workingHours = null)
    {
        var errors = new Dictionary<string, string[]>();
        var received = time.GetUtcNow().ToOffset(WorkingCalendar.Offset);
        received = received.AddTicks(-(received.Ticks % TimeSpan.TicksPerSecond));
        if (!string.IsNullOrWhiteSpace(receivedAt) && !TryParseInstant(receivedAt, out received))
        {
            errors["receivedAt"] = ["Thời điểm tiếp nhận theo ISO 8601, ví dụ 2026-02-13T09:00:00+07:00 (không ghi múi giờ: giờ Việt Nam), trong các năm 2000–2100."];
        }

        var (amount, unit) = (0m, TimeLimitUnit.WorkingDays);
        if (string.IsNullOrWhiteSpace(workingDays) == string.IsNullOrWhiteSpace(workingHours))
        {
            errors["workingDays"] = ["Cho một trong hai tham số: workingDays (số ngày làm việc) hoặc workingHours (số giờ làm việc)."];
        }
        else if (!string.IsNullOrWhiteSpace(workingDays))
        {
            if (!TryParseAmount(workingDays, MaxWorkingDays, out amount))
            {
                errors["workingDays"] = [$"Số ngày làm việc là một số lớn hơn 0, tối đa {MaxWorkingDays}, ví dụ 3 hoặc 0.5."];
            }
        }
        else if (TryParseAmount(workingHours!, MaxWorkingDays * 8, out amount))
        {
            unit = TimeLimitUnit.WorkingHours;
        }
        else
        {
            errors["workingHours"] = [$"Số giờ làm việc là một số lớn hơn 0, tối đa {MaxWorkingDays * 8}, ví dụ 4 hoặc 1.5."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Tham số không hợp lệ");
        }

        var calendar = await calendars.ForAgencyCodeAsync(agencyCode, cancellationToken);
        if (calendar is null)
        {
            return UnknownAgency(agencyCode!);
        }

        return TypedResults.Ok(new DueDateResponse(received, calendar.StartOfWork(received), calendar.DueAt(received, amount, unit)));
    }

    private static ProblemHttpResult UnknownAgency(string agencyCode) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Không tìm thấy cơ quan",
        detail: $"Không có cơ quan, đơn vị mã định danh \"{agencyCode.Trim()}\". Danh sách cơ quan: /api/v1/agencies.");

    /// <summary>
    /// ISO 8601 with or without an offset (without: Vietnam time), or a date alone (its midnight). A "+" of the
    /// offset that arrived unencoded in the query string reads as a space, and is taken back.
    /// </summary>
    internal static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        text = UnencodedPlus().Replace(text.Trim(), "+$1");
        string[] local = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];
        string[] offset = ["yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        if (DateTime.TryParseExact(text, local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var vietnam))
        {
            instant = new DateTimeOffset(DateTime.SpecifyKind(vietnam, DateTimeKind.Unspecified), WorkingCalendar.Offset);
        }
        else if (DateTimeOffset.TryParseExact(text, offset, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant))
        {
            instant = instant.ToOffset(WorkingCalendar.Offset);
        }
        else
        {
            return false;
        }

        return instant.Year is >= 2000 and <= 2100;
    }

    private static bool TryParseAmount(string text, decimal max, out decimal amount) =>
        decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount) && amount > 0 && amount <= max;

    private static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string DayName(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "Thứ Hai",
        DayOfWeek.Tuesday => "Thứ Ba",
        DayOfWeek.Wednesday => "Thứ Tư",
        DayOfWeek.Thursday => "Thứ Năm",
        DayOfWeek.Friday => "Thứ Sáu",
        DayOfWeek.Saturday => "Thứ Bảy",
        _ => "Chủ nhật",
    };

    [GeneratedRegex(@"(?<=T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")]
    private static partial Regex UnencodedPlus();
}
