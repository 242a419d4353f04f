using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Processing.Inbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>
/// <c>/can-bo/so-theo-doi</c>: choose one of the officer's agencies and a date range, then "Tải PDF" or
/// "Tải Excel (XLSX)" leads to the register file (<see cref="IssueSlipsEndpoints"/>); what is wrong is said
/// beside the field, keeping what was typed.
/// </summary>
[Authorize(Policy = Policies.Officer)]
internal sealed class RegisterPageModel(DossierSlips slips, InboxQuery inbox, CatalogIndex catalog, TimeProvider time) : PageModel
{
    [FromQuery(Name = "co-quan")] public string? Agency { get; set; }

    [FromQuery(Name = "tu")] public string? From { get; set; }

    [FromQuery(Name = "den")] public string? To { get; set; }

    /// <summary>Which file the pressed button asks for: pdf or xlsx; none when the page is first opened.</summary>
    [FromQuery(Name = "tai")] public string? Download { get; set; }

    public IReadOnlyList<(string Code, string Name)> AgencyOptions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        var mine = await inbox.AgenciesAsync(User, cancellationToken);
        AgencyOptions = [.. mine.Select(tree.Find).OfType<AgencyNode>().Where(a => a.ReceivesDossiers).OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => (a.Code, a.Name))];
        if (Download is null)
        {
            var today = VietnamTime.Today(time);
            Agency ??= AgencyOptions.Count > 0 ? AgencyOptions[0].Code : null;
            From ??= Formats.Date(new DateOnly(today.Year, today.Month, 1));
            To ??= Formats.Date(today);
            return Page();
        }

        var (request, errors) = await slips.CheckAsync(User, Agency, From, To, cancellationToken);
        if (request is null)
        {
            foreach (var (field, message) in errors)
            {
                ModelState.AddModelError(field, message);
            }

            return Page();
        }

        var extension = Download == "xlsx" ? "xlsx" : "pdf";
        return Redirect($"/can-bo/so-theo-doi.{extension}?co-quan={Uri.EscapeDataString(request.Agency.Code)}&tu={Formats.Date(request.From)}&den={Formats.Date(request.To)}");
    }
}
