using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Payments.RecordDeskPayment;

/// <summary>The "Đã thu phí tại quầy" button of the officer's dossier page posts here and goes back there with the outcome.</summary>
[Authorize(Policy = Policies.Officer)]
internal sealed class DeskPaymentPageModel(DeskPayments desk) : PageModel
{
    public IActionResult OnGet(Guid id) => Redirect($"/can-bo/ho-so/{id}");

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var refused = await desk.RecordAsync(User, id, cancellationToken);
        if (refused is { Problem: null })
        {
            return NotFound();
        }

        if (refused is { Status: StatusCodes.Status403Forbidden })
        {
            return Forbid();
        }

        TempData["Notice"] = refused?.Problem ?? "Đã ghi nhận người nộp đã nộp phí, lệ phí tại Bộ phận Một cửa.";
        return Redirect($"/can-bo/ho-so/{id}");
    }
}
