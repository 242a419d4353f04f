using System.Globalization;
using System.Text.RegularExpressions;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;

namespace DichVuCong.Web.Modules.Dossiers.EForms;

/// <summary>
/// A procedure's e-form (tờ khai điện tử), read from <c>Definitions/&lt;procedure code&gt;.json</c>. The same
/// definition draws the form (<c>_EFormFields.cshtml</c>), is served to other clients by
/// <c>GET /api/v1/procedures/{code}/eform</c>, and checks what was typed (<see cref="Validate"/>).
/// </summary>
internal sealed record EForm
{
    public required string ProcedureCode { get; init; }

    /// <summary>The paper form it stands for, e.g. "Tờ khai đăng ký khai sinh".</summary>
    public required string Title { get; init; }

    /// <summary>Where the form comes from, e.g. "Mẫu ban hành kèm theo Thông tư số 04/2020/TT-BTP".</summary>
    public string? Basis { get; init; }

    public required IReadOnlyList<EFormField> Fields { get; init; }

    /// <summary>The fields that hold a value (all but section headings).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<EFormField> Inputs => Fields.Where(f => f.HasValue);

    public EFormField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>Whether the field is shown for these values: its condition holds, and the field it depends on is shown too.</summary>
    public bool IsShown(EFormField field, IReadOnlyDictionary<string, string?> values)
    {
        if (field.ShowIf is not { } condition)
        {
            return true;
        }

        var controller = Field(condition.Field);
        if (controller is null || !IsShown(controller, values))
        {
            return false;
        }

        var value = values.GetValueOrDefault(condition.Field)?.Trim() ?? string.Empty;
        return controller.Type == EFormFieldTypes.Checkbox
            ? value.Split(',', StringSplitOptions.TrimEntries).Contains(condition.EqualsValue, StringComparer.Ordinal)
            : string.Equals(value, condition.EqualsValue, StringComparison.Ordinal);
    }

    /// <summary>Checks the values against the definition, with today's date in Vietnam.</summary>
    public EFormResult Validate(IReadOnlyDictionary<string, string?> values) => Validate(values, VietnamTime.Today(TimeProvider.System));

    /// <summary>
    /// Checks the values against the definition. Returns the normalized values (trimmed; dates as yyyy-MM-dd;
    /// numbers in invariant form; hidden conditional fields and unknown keys dropped) and, per field name, what to fix.
    /// </summary>
    public EFormResult Validate(IReadOnlyDictionary<string, string?> values, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(values);
        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        // First pass: each field on its own; later rules read the normalized values of earlier fields.
        foreach (var field in Inputs)
        {
            if (!IsShown(field, values))
            {
                continue;
            }

            var raw = values.GetValueOrDefault(field.Name)?.Trim() ?? string.Empty;
            if (raw.Length == 0)
            {
                if (field.Required)
                {
                    errors[field.Name] = [field.RequiredMessage ?? DefaultRequiredMessage(field)];
                }

                continue;
            }

            var (value, error) = Check(field, raw, today);
            if (error is not null)
            {
                errors[field.Name] = [error];
            }
            else
            {
                normalized[field.Name] = value!;
            }
        }

        // Second pass: rules between fields, only when the fields they read are valid.
        foreach (var field in Inputs.Where(f => normalized.ContainsKey(f.Name)))
        {
            var error = CheckAcross(field, normalized, today);
            if (error is not null)
            {
                errors[field.Name] = [error];
                normalized.Remove(field.Name);
            }
        }

        return new EFormResult(normalized, errors);
    }

    private static (string? Value, string? Error) Check(EFormField field, string raw, DateOnly today)
    {
        if (field.MaxLength is { } max && raw.Length > max)
        {
            return (null, $"{field.Label} không được quá {max} ký tự.");
        }

        switch (field.Type)
        {
            case EFormFieldTypes.Date:
                if (Formats.ParseDate(raw) is not { } date)
                {
                    return (null, $"{field.Label}: nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/09/2024.");
                }

                if (field.NotFuture && date > today)
                {
                    return (null, $"{field.Label} không được sau ngày hôm nay.");
                }

                if (date.Year < 1900)
                {
                    return (null, $"{field.Label}: năm phải từ 1900 trở đi.");
                }

                return (date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null);

            case EFormFieldTypes.Number:
                if (!decimal.TryParse(raw.Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    return (null, $"{field.Label}: nhập một số, ví dụ 120 hoặc 85,5.");
                }

                if (field.Min is { } min && number < min)
                {
                    return (null, $"{field.Label} phải từ {min.ToString(Formats.Vietnamese)} trở lên.");
                }

                if (field.Max is { } maxValue && number > maxValue)
                {
                    return (null, $"{field.Label} không được lớn hơn {maxValue.ToString(Formats.Vietnamese)}.");
                }

                return (number.ToString(CultureInfo.InvariantCulture), null);

            case EFormFieldTypes.Select or EFormFieldTypes.Radio:
                return field.Choices.Any(c => c.Value == raw)
                    ? (raw, null)
                    : (null, $"{field.Label}: chọn một trong các lựa chọn có sẵn.");

            case EFormFieldTypes.Checkbox:
                var ticked = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
                if (ticked.Any(t => field.Choices.All(c => c.Value != t)))
                {
                    return (null, $"{field.Label}: chọn trong các lựa chọn có sẵn.");
                }

                // In the definition's order, so the same ticks always give the same value.
                return (string.Join(',', field.Choices.Select(c => c.Value).Where(ticked.Contains)), null);

            case EFormFieldTypes.Email:
                return raw.Count(c => c == '@') == 1 && raw.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < raw.Length - 1 && !raw.Any(char.IsWhiteSpace)
                    ? (raw, null)
                    : (null, $"{field.Label}: nhập địa chỉ email dạng ten@vidu.vn.");

            case EFormFieldTypes.Tel:
                var phone = new string(raw.Where(c => c is not (' ' or '.' or '-')).ToArray());
                return Regex.IsMatch(phone, @"^(\+84|0)\d{9,10}$", RegexOptions.None, TimeSpan.FromSeconds(1))
                    ? (phone, null)
                    : (null, $"{field.Label}: nhập số điện thoại gồm 10 chữ số, ví dụ 0912345678.");

            case EFormFieldTypes.Cccd:
                var cccdError = CitizenIdentity.Check(raw);
                return cccdError is null ? (raw, null) : (null, cccdError);
        }

        if (field.Pattern is { } pattern && !Regex.IsMatch(raw, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            return (null, field.PatternMessage ?? $"{field.Label} không đúng định dạng.");
        }

        return (raw, null);
    }

    private string? CheckAcross(EFormField field, Dictionary<string, string> values, DateOnly today)
    {
        var value = values[field.Name];
        if (field.Type == EFormFieldTypes.Cccd && (field.BirthDateField is not null || field.SexField is not null))
        {
            var born = field.BirthDateField is { } b && values.TryGetValue(b, out var birth) ? DateOnly.ParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture) : (DateOnly?)null;
            var sex = field.SexField is { } s && values.TryGetValue(s, out var sexValue) ? ParseSex(sexValue) : null;
            return CitizenIdentity.Check(value, born, sex);
        }

        if (field.Type != EFormFieldTypes.Date)
        {
            return null;
        }

        var date = DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (field.NotBefore is { } earlierName && values.TryGetValue(earlierName, out var earlier)
            && date < DateOnly.ParseExact(earlier, "yyyy-MM-dd", CultureInfo.InvariantCulture))
        {
            return $"{field.Label} không được trước {Lower(Field(earlierName)!.Label)}.";
        }

        foreach (var rule in field.MinAge)
        {
            if (rule.IfField is { } ifField && values.GetValueOrDefault(ifField) != rule.IfEquals)
            {
                continue;
            }

            if (date.AddYears(rule.Years) > today)
            {
                return rule.Message ?? $"Người có {Lower(field.Label)} này chưa đủ {rule.Years} tuổi.";
            }
        }

        return null;
    }

    /// <summary>"nam" and "nu" are the values of every sex field in the shipped definitions.</summary>
    private static Sex? ParseSex(string value) => value switch
    {
        "nam" => Sex.Male,
        "nu" => Sex.Female,
        _ => null,
    };

    private static string DefaultRequiredMessage(EFormField field) => field.Type switch
    {
        EFormFieldTypes.Select or EFormFieldTypes.Radio or EFormFieldTypes.Checkbox => $"Chọn {Lower(field.Label)}.",
        _ => $"Nhập {Lower(field.Label)}.",
    };

    private static string Lower(string label) => label.Length == 0 ? label : char.ToLower(label[0], Formats.Vietnamese) + label[1..];
}

/// <summary>What <see cref="EForm.Validate(IReadOnlyDictionary{string, string?}, DateOnly)"/> found.</summary>
/// <param name="Values">The normalized values to store as the dossier's <c>EFormJson</c>.</param>
/// <param name="Errors">Per field name, what to fix; empty when the form is valid.</param>
internal sealed record EFormResult(IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The normalized values as the JSON object kept in <c>Dossier.EFormJson</c>.</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(Values);
}

internal static class EFormFieldTypes
{
    public const string Section = "section";
    public const string Text = "text";
    public const string Textarea = "textarea";
    public const string Date = "date";
    public const string Number = "number";
    public const string Select = "select";
    public const string Radio = "radio";
    public const string Checkbox = "checkbox";
    public const string Email = "email";
    public const string Tel = "tel";
    public const string Cccd = "cccd";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Section, Text, Textarea, Date, Number, Select, Radio, Checkbox, Email, Tel, Cccd,
    };
}

/// <summary>One field of an e-form, or a section heading (<c>type: "section"</c>) that holds no value.</summary>
internal sealed record EFormField
{
    /// <summary>Stable ASCII camelCase key: the posted name (after the prefix) and the key in the stored JSON.</summary>
    public required string Name { get; init; }

    /// <summary>What people read, in Vietnamese.</summary>
    public required string Label { get; init; }

    /// <summary>One of <see cref="EFormFieldTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Required when shown: a conditional field is only required while its condition holds.</summary>
    public bool Required { get; init; }

    /// <summary>The message when a required field is left empty; by default "Nhập …" or "Chọn …" and the label.</summary>
    public string? RequiredMessage { get; init; }

    public IReadOnlyList<EFormChoice> Choices { get; init; } = [];

    public string? Hint { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>Least value of a number field.</summary>
    public decimal? Min { get; init; }

    /// <summary>Greatest value of a number field.</summary>
    public decimal? Max { get; init; }

    /// <summary>A regular expression a text value must match, with <see cref="PatternMessage"/> when it does not.</summary>
    public string? Pattern { get; init; }

    public string? PatternMessage { get; init; }

    /// <summary>Shown (and checked, and kept) only when another field has a given value.</summary>
    public EFormCondition? ShowIf { get; init; }

    /// <summary>A date field: not after today.</summary>
    public bool NotFuture { get; init; }

    /// <summary>A date field: not before the date in this other field (e.g. death after birth).</summary>
    public string? NotBefore { get; init; }

    /// <summary>A date-of-birth field: the person is at least so many years old today.</summary>
    public IReadOnlyList<EFormMinAge> MinAge { get; init; } = [];

    /// <summary>A CCCD field: the birth-date field its year digits must match.</summary>
    public string? BirthDateField { get; init; }

    /// <summary>A CCCD field: the sex field ("nam"/"nu") its fourth digit must match.</summary>
    public string? SexField { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasValue => Type != EFormFieldTypes.Section;
}

internal sealed record EFormChoice(string Value, string Label);

/// <summary>Show a field only when <see cref="Field"/> has the value <see cref="EqualsValue"/> (for a checkbox group: has it ticked).</summary>
internal sealed record EFormCondition(
    string Field,
    [property: System.Text.Json.Serialization.JsonPropertyName("equals")] string EqualsValue);

/// <summary>The minimum age rule: at least <see cref="Years"/> old today, optionally only when another field has a value (e.g. sex).</summary>
internal sealed record EFormMinAge(int Years, string? Message = null, string? IfField = null, string? IfEquals = null);
