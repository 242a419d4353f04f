using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Processing;
using DichVuCong.Web.Modules.Processing.DueDates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Processing;

/// <summary>The public calendar API over HTTP, on the seeded holidays and working weeks.</summary>
public abstract class CalendarApiTests(PortalFixture portal)
{
    private const string FirstCommune = "000.00.30.H99";
    private const string SaturdayCommune = "000.00.31.H99";

    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<JsonElement> GetJsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static Dictionary<string, JsonElement> DaysByDate(JsonElement body) =>
        body.GetProperty("days").EnumerateArray().ToDictionary(d => d.GetProperty("date").GetString()!);

    [Fact]
    public async Task The_default_calendar_lists_the_weekdays_off_and_the_make_up_saturdays_of_the_year()
    {
        var body = await GetJsonAsync("/api/v1/calendar/holidays?year=2026");

        Assert.Equal(2026, body.GetProperty("year").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("agencyCode").ValueKind);
        var days = DaysByDate(body);
        Assert.All(days.Keys, d => Assert.StartsWith("2026-", d, StringComparison.Ordinal));
        Assert.False(days["2026-02-16"].GetProperty("working").GetBoolean());
        Assert.Contains("Tết", days["2026-02-16"].GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.False(days["2026-09-02"].GetProperty("working").GetBoolean());
        Assert.False(days["2026-04-27"].GetProperty("working").GetBoolean());
        Assert.True(days["2026-01-10"].GetProperty("working").GetBoolean());
        Assert.True(days["2026-08-22"].GetProperty("working").GetBoolean());
        // A Saturday of the Tết break is no news to an agency closed on Saturdays.
        Assert.DoesNotContain("2026-02-14", days.Keys);
        Assert.Equal(days.Keys.Order(StringComparer.Ordinal), days.Keys);

        var hours = body.GetProperty("workingHours").EnumerateArray().ToList();
        Assert.Equal(10, hours.Count);
        Assert.Equal((1, "Thứ Hai", "07:30", "11:30"), Period(hours[0]));
        Assert.Equal((1, "Thứ Hai", "13:00", "17:00"), Period(hours[1]));
        Assert.Equal((5, "Thứ Sáu", "13:00", "17:00"), Period(hours[^1]));
    }

    private static (int, string, string, string) Period(JsonElement p) => (
        p.GetProperty("dayOfWeek").GetInt32(), p.GetProperty("dayName").GetString()!, p.GetProperty("opens").GetString()!, p.GetProperty("closes").GetString()!);

    [Fact]
    public async Task A_commune_open_on_saturday_mornings_shows_them_and_the_saturdays_it_is_closed_for_a_holiday()
    {
        var body = await GetJsonAsync($"/api/v1/calendar/holidays?agencyCode={SaturdayCommune}&year=2026");

        Assert.Equal(SaturdayCommune, body.GetProperty("agencyCode").GetString());
        var hours = body.GetProperty("workingHours").EnumerateArray().Select(Period).ToList();
        Assert.Equal((6, "Thứ Bảy", "07:30", "11:30"), hours[^1]);
        Assert.Equal(11, hours.Count);
        var days = DaysByDate(body);
        Assert.False(days["2026-02-14"].GetProperty("working").GetBoolean());
        Assert.False(days["2026-08-29"].GetProperty("working").GetBoolean());
        Assert.DoesNotContain("2026-02-15", days.Keys); // a Sunday: closed anyway
    }

    [Fact]
    public async Task An_unknown_agency_is_not_found_and_a_bad_year_is_refused_in_vietnamese()
    {
        var unknown = await GetJsonAsync("/api/v1/calendar/holidays?agencyCode=999.99.99.H99", HttpStatusCode.NotFound);
        Assert.Equal("Không tìm thấy cơ quan", unknown.GetProperty("title").GetString());
        Assert.Contains("999.99.99.H99", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var unknownDue = await GetJsonAsync("/api/v1/calendar/due-date?agencyCode=999.99.99.H99&workingDays=1", HttpStatusCode.NotFound);
        Assert.Equal("Không tìm thấy cơ quan", unknownDue.GetProperty("title").GetString());

        var badYear = await GetJsonAsync("/api/v1/calendar/holidays?year=hai-nghin", HttpStatusCode.BadRequest);
        Assert.Equal("Tham số không hợp lệ", badYear.GetProperty("title").GetString());
        Assert.StartsWith("Năm là một số", badYear.GetProperty("errors").GetProperty("year")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_due_date_over_tet_in_vietnam_time()
    {
        // Friday 13/02/2026 16:00, one working day: 1 h on Friday, 7 h on Monday 23/02 after the Tết break.
        var body = await GetJsonAsync($"/api/v1/calendar/due-date?agencyCode={FirstCommune}&receivedAt=2026-02-13T16:00:00&workingDays=1");

        Assert.Equal("2026-02-13T16:00:00+07:00", body.GetProperty("receivedAt").GetString());
        Assert.Equal("2026-02-13T16:00:00+07:00", body.GetProperty("countedFrom").GetString());
        Assert.Equal("2026-02-23T16:00:00+07:00", body.GetProperty("dueAt").GetString());
    }

    [Theory]
    [InlineData("2026-04-29T05:15:00Z")]
    [InlineData("2026-04-29T12:15:00%2B07:00")]
    [InlineData("2026-04-29T12:15:00+07:00")] // "+" left unencoded arrives as a space
    [InlineData("2026-04-29T12:15")]
    public async Task Reception_at_lunch_counts_from_13_00_whatever_way_the_instant_is_written(string receivedAt)
    {
        var body = await GetJsonAsync($"/api/v1/calendar/due-date?receivedAt={receivedAt}&workingHours=4");

        Assert.Equal("2026-04-29T12:15:00+07:00", body.GetProperty("receivedAt").GetString());
        Assert.Equal("2026-04-29T13:00:00+07:00", body.GetProperty("countedFrom").GetString());
        Assert.Equal("2026-04-29T17:00:00+07:00", body.GetProperty("dueAt").GetString());
    }

    [Fact]
    public async Task The_saturday_morning_counts_at_the_commune_that_opens_then()
    {
        // Friday 16/01/2026 15:00, one working day: Fri 2 h; Saturday morning 4 h; Monday 2 h → 09:30. Elsewhere: Monday 15:00.
        var saturday = await GetJsonAsync($"/api/v1/calendar/due-date?agencyCode={SaturdayCommune}&receivedAt=2026-01-16T15:00&workingDays=1");
        var weekday = await GetJsonAsync($"/api/v1/calendar/due-date?agencyCode={FirstCommune}&receivedAt=2026-01-16T15:00&workingDays=1");

        Assert.Equal("2026-01-19T09:30:00+07:00", saturday.GetProperty("dueAt").GetString());
        Assert.Equal("2026-01-19T15:00:00+07:00", weekday.GetProperty("dueAt").GetString());
    }

    [Theory]
    [InlineData("", "workingDays")]
    [InlineData("&workingDays=1&workingHours=8", "workingDays")]
    [InlineData("&workingDays=-1", "workingDays")]
    [InlineData("&workingDays=0", "workingDays")]
    [InlineData("&workingDays=ba", "workingDays")]
    [InlineData("&workingDays=366", "workingDays")]
    [InlineData("&workingHours=1,5", "workingHours")]
    [InlineData("&workingDays=1&receivedAt=13/02/2026", "receivedAt")]
    [InlineData("&workingDays=1&receivedAt=1900-01-01T08:00", "receivedAt")]
    public async Task Bad_input_is_refused_with_the_parameter_named(string query, string parameter)
    {
        var body = await GetJsonAsync("/api/v1/calendar/due-date?agencyCode=" + FirstCommune + query, HttpStatusCode.BadRequest);

        Assert.Equal("Tham số không hợp lệ", body.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("errors").GetProperty(parameter)[0].GetString()));
    }

    [Fact]
    public async Task Without_a_reception_time_the_due_date_counts_from_now()
    {
        var body = await GetJsonAsync("/api/v1/calendar/due-date?workingHours=1");

        var received = body.GetProperty("receivedAt").GetDateTimeOffset();
        var counted = body.GetProperty("countedFrom").GetDateTimeOffset();
        var due = body.GetProperty("dueAt").GetDateTimeOffset();
        Assert.InRange(received, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(received <= counted && counted < due, $"{received:O} ≤ {counted:O} < {due:O}");
        Assert.All(new[] { "receivedAt", "countedFrom", "dueAt" }, p => Assert.EndsWith("+07:00", body.GetProperty(p).GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_calendar_endpoints_and_their_parameters()
    {
        var paths = (await GetJsonAsync("/openapi/v1.json")).GetProperty("paths");

        var holidays = paths.GetProperty("/api/v1/calendar/holidays").GetProperty("get");
        var dueDate = paths.GetProperty("/api/v1/calendar/due-date").GetProperty("get");
        Assert.Equal("ListHolidays", holidays.GetProperty("operationId").GetString());
        Assert.Equal("CalculateDueDate", dueDate.GetProperty("operationId").GetString());
        Assert.Equal(
            ["agencyCode", "receivedAt", "workingDays", "workingHours"],
            dueDate.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace(dueDate.GetProperty("summary").GetString()));
    }

    [Fact]
    public async Task An_agency_without_its_own_week_follows_its_parent_once_the_calendars_are_refreshed()
    {
        const string Parent = "000.01.06.H99"; // Văn phòng Đăng ký đất đai
        const string Child = "002.01.06.H99"; // one of its branches, without a week of its own
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var calendars = scope.ServiceProvider.GetRequiredService<WorkingCalendars>();
        var parentId = await db.Agencies.Where(a => a.Code == Parent).Select(a => a.Id).SingleAsync(Ct);
        var childId = await db.Agencies.Where(a => a.Code == Child).Select(a => a.Id).SingleAsync(Ct);
        var monday = new DateTimeOffset(2026, 3, 2, 7, 10, 0, TimeSpan.FromHours(7));
        Assert.Equal(monday.AddMinutes(20), (await calendars.ForAgencyAsync(childId, Ct)).StartOfWork(monday));

        var week = Enum.GetValues<DayOfWeek>().Where(d => d is not DayOfWeek.Sunday)
            .Select(d => new WorkingPeriod { AgencyId = parentId, Day = d, Opens = new TimeOnly(7, 0), Closes = new TimeOnly(12, 0) })
            .ToList();
        db.Set<WorkingPeriod>().AddRange(week);
        await db.SaveChangesAsync(Ct);
        try
        {
            calendars.Invalidate();

            Assert.Equal(monday, (await calendars.ForAgencyAsync(childId, Ct)).StartOfWork(monday));
            var body = await GetJsonAsync($"/api/v1/calendar/holidays?agencyCode={Child}&year=2026");
            Assert.Equal(6, body.GetProperty("workingHours").GetArrayLength());
            Assert.Equal((6, "Thứ Bảy", "07:00", "12:00"), Period(body.GetProperty("workingHours")[5]));
            // Friday 13/02 11:00, 2 working hours: 1 h on Friday; Saturday 14/02 is in the Tết break; Monday 23/02 07:00 + 1 h.
            var due = await GetJsonAsync($"/api/v1/calendar/due-date?agencyCode={Child}&receivedAt=2026-02-13T11:00&workingHours=2");
            Assert.Equal("2026-02-23T08:00:00+07:00", due.GetProperty("dueAt").GetString());
        }
        finally
        {
            db.Set<WorkingPeriod>().RemoveRange(week);
            await db.SaveChangesAsync(Ct);
            calendars.Invalidate();
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class CalendarApiTestsOnSqlite(SqlitePortal portal) : CalendarApiTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class CalendarApiTestsOnPostgreSql(PostgresPortal portal) : CalendarApiTests(portal);
