using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Notifications.NotificationCentre;

/// <summary>One page of a person's in-app messages, newest first.</summary>
internal sealed record NotificationPage(int Unread, int Total, int Page, IReadOnlyList<NotificationItem> Items);

internal sealed record NotificationItem(Guid Id, string Title, string Body, DateTime CreatedAt, DateTime? ReadAt, Guid? DossierId, string Link);

/// <summary>
/// The citizen's notification centre: the page <c>/thong-bao</c>, opening a message (a POST: it marks it read, then goes
/// to its dossier) and the same over <c>/api/v1/notifications</c>. A person only ever reaches their own.
/// </summary>
internal static class NotificationCentre
{
    public const int PageSize = 20;

    public static async Task<NotificationPage> ListAsync(AppDbContext db, Guid userId, int page, CancellationToken cancellationToken)
    {
        var mine = db.Set<InAppNotification>().AsNoTracking().Where(n => n.UserId == userId);
        var total = await mine.CountAsync(cancellationToken);
        var unread = await InAppNotification.UnreadAsync(db, userId, cancellationToken);
        page = Math.Clamp(page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var items = await mine.OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Id).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new NotificationPage(unread, total, page, [.. items.Select(n => new NotificationItem(n.Id, n.Title, n.Body, n.CreatedAt, n.ReadAt, n.DossierId, n.Link))]);
    }

    /// <summary>Marks one message (or, with no id, all) of the person read; returns false when the id is not theirs.</summary>
    public static async Task<bool> MarkReadAsync(AppDbContext db, Guid userId, Guid? id, DateTime now, CancellationToken cancellationToken)
    {
        var mine = db.Set<InAppNotification>().Where(n => n.UserId == userId && (id == null || n.Id == id));
        await mine.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        return id is null || await mine.AnyAsync(cancellationToken);
    }

    /// <summary>Marks the person's message read and answers where it leads (its dossier); null when it is not theirs.</summary>
    public static async Task<string?> OpenAsync(AppDbContext db, Guid userId, Guid id, DateTime now, CancellationToken cancellationToken) =>
        await MarkReadAsync(db, userId, id, now, cancellationToken)
            ? (await db.Set<InAppNotification>().AsNoTracking().SingleAsync(n => n.Id == id, cancellationToken)).Link
            : null;

    /// <summary>The signed-in person (every route here requires one).</summary>
    private static Guid Me(HttpContext http) => UserClaims.Id(http.User) ?? throw new InvalidOperationException("No signed-in user.");

    public static void MapNotificationCentre(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/notifications").RequireAuthorization().DisableAntiforgery().WithTags("Notifications");
        group.MapGet("/", async (int? page, HttpContext http, AppDbContext db, CancellationToken cancellationToken) =>
                TypedResults.Ok(await ListAsync(db, Me(http), page ?? 1, cancellationToken)))
            .WithName("ListNotifications").WithSummary("Thông báo trong tài khoản của tôi, mới nhất trước, kèm số chưa đọc");
        group.MapPost("/{id:guid}/read", async Task<Results<NoContent, NotFound>> (Guid id, HttpContext http, AppDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
                await MarkReadAsync(db, Me(http), id, time.GetUtcNow().UtcDateTime, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithName("ReadNotification").WithSummary("Đánh dấu một thông báo đã đọc");
        group.MapPost("/read-all", async (HttpContext http, AppDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
            {
                await MarkReadAsync(db, Me(http), null, time.GetUtcNow().UtcDateTime, cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("ReadAllNotifications").WithSummary("Đánh dấu mọi thông báo đã đọc");
    }
}
