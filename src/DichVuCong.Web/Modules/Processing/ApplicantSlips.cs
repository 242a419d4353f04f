using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Processing.Slips;

namespace DichVuCong.Web.Modules.Processing;

/// <summary>One official slip an action sent the applicant: its form's title and label (e.g. "Mẫu số 01") and when.</summary>
internal sealed record ApplicantSlip(long ActionId, string Title, string Label, DateTime At);

/// <summary>
/// The official slips addressed to a dossier's applicant (Mẫu 01–05), for the citizen's pages in the Dossiers module;
/// the PDF itself is served by <see cref="IssueSlipsEndpoints"/>.
/// </summary>
internal sealed class ApplicantSlips(SlipRenderer renderer)
{
    public IReadOnlyList<ApplicantSlip> For(Dossier dossier) =>
    [
        .. dossier.Actions.Where(a => DossierSlips.KindOf(a.Slip) is not null).OrderBy(a => a.At).ThenBy(a => a.Id)
            .Select(a => (Action: a, Form: DossierSlips.Form(renderer, dossier, DossierSlips.KindOf(a.Slip)!.Value)))
            .Select(x => new ApplicantSlip(x.Action.Id, x.Form.Title, x.Form.Label, x.Action.At)),
    ];
}
