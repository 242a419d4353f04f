namespace DichVuCong.Web.Common.Web;

/// <summary>
/// One labelled input of a form, drawn by <c>/Pages/Shared/_Field.cshtml</c> with its error (read from the model
/// state under <see cref="Name"/>) and listed by <c>_ErrorSummary.cshtml</c> when it has one.
/// </summary>
/// <param name="Name">The bound property, as posted.</param>
/// <param name="Id">The element id, which the error summary links to.</param>
/// <param name="Label">What people read; a required field shows a red "*" after it.</param>
/// <param name="Type">text, email, tel, password, date, radio, checkbox (a group: several of <see cref="Options"/>), select or textarea.</param>
internal sealed record FormField(string Name, string Id, string Label, string? Value = null, string Type = "text")
{
    public bool Required { get; init; }

    public string? Hint { get; init; }

    public string? Autocomplete { get; init; }

    public string? InputMode { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>Choices of a radio group or select: the posted value and its label.</summary>
    public IReadOnlyList<(string Value, string Label)>? Options { get; init; }

    /// <summary>The ticked choices of a checkbox group.</summary>
    public IReadOnlyCollection<string>? Selected { get; init; }
}

/// <summary>What the error summary lists: the fields of the form, and one message for the whole form if any.</summary>
internal sealed record FormErrors(IReadOnlyList<FormField> Fields, string? General = null, string? GeneralTarget = null);
