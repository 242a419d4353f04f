using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Payments.Refund;

/// <summary>
/// <c>/can-bo/hoan-tien</c>: the payments of the officer's agencies to be refunded, oldest first, each with a form
/// to record how the money went back. A note left empty comes back with its message and the row's other input; a
/// payment refunded meanwhile (double submit, another officer, an old page) is a 409 saying so.
/// </summary>
[Authorize(Policy = Policies.Officer, Roles = Refunds.AllowedRoles)]
internal sealed class RefundsPageModel(Refunds refunds) : PageModel
{
    public IReadOnlyList<RefundRow> Rows { get; private set; } = [];

    [TempData] public string? Notice { get; set; }

    /// <summary>Why the refund was not recorded (already refunded, no longer due).</summary>
    public string? Error { get; private set; }

    /// <summary>The payment whose form was posted and came back with its note's error.</summary>
    [BindProperty] public string? TxnRef { get; set; }

    [BindProperty] public string? Note { get; set; }

    public bool Invalid => !ModelState.IsValid;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Rows = await refunds.ListAsync(User, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        switch (await refunds.MarkRefundedAsync(User, TxnRef ?? string.Empty, Note, cancellationToken))
        {
            case null:
                Notice = $"Đã ghi nhận hoàn tiền khoản {TxnRef}.";
                return RedirectToPage();
            case (StatusCodes.Status404NotFound, _):
                return NotFound();
            case (StatusCodes.Status400BadRequest, var message):
                ModelState.AddModelError(nameof(Note), message);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case var (status, message):
                Error = message;
                Response.StatusCode = status;
                break;
        }

        Rows = await refunds.ListAsync(User, cancellationToken);
        return Page();
    }
}
