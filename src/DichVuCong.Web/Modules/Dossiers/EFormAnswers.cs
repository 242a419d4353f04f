using DichVuCong.Web.Modules.Dossiers.EForms;

namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>One answer of a dossier's e-form (tờ khai điện tử) as people read it: the field's label and the value, a choice by its label.</summary>
internal sealed record EFormAnswer(string Label, string Value);

/// <summary>
/// The filled e-form of a dossier, for every page that shows it: the wizard's review step, the applicant's dossier
/// page and the officers' page, where the declaration is what the officer checks.
/// </summary>
internal sealed class EFormAnswers(EFormRegistry eforms)
{
    /// <summary>The answers given, in the form's order; empty when the procedure has no e-form or nothing was filled.</summary>
    public IReadOnlyList<EFormAnswer> Of(string procedureCode, string? json) =>
        eforms.Find(procedureCode) is { } form ? Of(new EFormView(form, EFormRegistry.FromJson(json))) : [];

    public static IReadOnlyList<EFormAnswer> Of(EFormView filled) =>
    [
        .. filled.Fields.Where(f => !string.IsNullOrEmpty(f.Value))
            .Select(f => new EFormAnswer(f.Label, string.Join(", ", (f.Selected ?? [f.Value!]).Select(v => f.Options?.FirstOrDefault(o => o.Value == v).Label ?? v)))),
    ];
}
