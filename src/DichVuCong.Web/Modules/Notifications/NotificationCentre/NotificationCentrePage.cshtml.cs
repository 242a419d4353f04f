using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Notifications.NotificationCentre;

/// <summary><c>/thong-bao</c> (Thông báo): what the portal told the person about their dossiers, unread first in bold.</summary>
[Authorize]
internal sealed class NotificationCentrePageModel(AppDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "trang")] public int PageNumber { get; set; } = 1;

    public NotificationPage Result { get; private set; } = new(0, 0, 1, []);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Result = await NotificationCentre.ListAsync(db, UserClaims.Id(User)!.Value, PageNumber, cancellationToken);

    /// <summary>Opening a message is a POST (it marks it read), then the dossier it is about; not the person's: 404.</summary>
    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken cancellationToken) =>
        await NotificationCentre.OpenAsync(db, UserClaims.Id(User)!.Value, id, time.GetUtcNow().UtcDateTime, cancellationToken) is { } link
            ? LocalRedirect(link)
            : NotFound();

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        await NotificationCentre.MarkReadAsync(db, UserClaims.Id(User)!.Value, null, time.GetUtcNow().UtcDateTime, cancellationToken);
        return RedirectToPage();
    }
}
