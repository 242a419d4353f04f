using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Notifications.ListSentMessages;

/// <summary>
/// <c>/quan-tri/thu-da-gui</c> (Thư và tin nhắn đã gửi): the newest messages with their delivery state,
/// for administrators; where no mail server is configured this is where a demo user's code can be read. A person who
/// calls to say a code or a notice never came is looked up by their e-mail or phone (<c>?nguoi-nhan=</c>, exact, indexed).
/// </summary>
[Authorize(Policy = Policies.SystemAdmin)]
internal sealed class ListSentMessagesPageModel(AppDbContext db) : PageModel
{
    public const int PageSize = 100;

    public IReadOnlyList<OutboxMessage> Messages { get; private set; } = [];

    [FromQuery(Name = "nguoi-nhan")]
    public string? Recipient { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Recipient = string.IsNullOrWhiteSpace(Recipient) ? null : Recipient.Trim();
        var messages = db.OutboxMessages.AsNoTracking();
        if (Recipient is not null)
        {
            messages = messages.Where(m => m.Recipient == Recipient);
        }

        Messages = await messages.OrderByDescending(m => m.CreatedAt).Take(PageSize).ToListAsync(cancellationToken);
    }
}
