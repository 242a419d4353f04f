using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary><c>/can-bo/mau-phieu</c>: every slip of every regime, each a link to a sample PDF (<see cref="PreviewSlipsEndpoints"/>).</summary>
[Authorize(Policy = Policies.Officer)]
internal sealed class PreviewSlipsPageModel(SlipRenderer slips) : PageModel
{
    public IReadOnlyList<RegimeTemplates> Regimes { get; } = [.. slips.Regimes];

    /// <summary>The last day a regime applied, when a later one replaced it.</summary>
    public DateOnly? Until(RegimeTemplates regime) =>
        Regimes.FirstOrDefault(r => r.InForceFrom > regime.InForceFrom)?.InForceFrom.AddDays(-1);
}
