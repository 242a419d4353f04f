using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Notifications.ListSentMessages;

/// <summary>
/// <c>/quan-tri/thu-da-gui</c> (Thư và tin nhắn đã gửi): the newest messages with their delivery state,
/// for administrators; where no mail server is configured this is where a demo user's code can be read.
/// </summary>
[Authorize(Policy = Policies.SystemAdmin)]
internal sealed class ListSentMessagesPageModel(AppDbContext db) : PageModel
{
    public const int PageSize = 100;

    public IReadOnlyList<OutboxMessage> Messages { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Messages = await db.OutboxMessages.AsNoTracking()
            .OrderByDescending(m => m.CreatedAt)
            .Take(PageSize)
            .ToListAsync(cancellationToken);
}
