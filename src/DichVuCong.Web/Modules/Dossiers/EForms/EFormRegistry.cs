using System.Text.Json;
using System.Text.RegularExpressions;
using DichVuCong.Web.Common.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace DichVuCong.Web.Modules.Dossiers.EForms;

/// <summary>
/// The e-forms shipped in <c>Definitions/*.json</c> (embedded), by procedure code; loaded and checked once at
/// start, so a broken definition stops the portal with a message naming the file and the field. A procedure
/// without a definition has no e-form step.
/// </summary>
internal sealed class EFormRegistry
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private readonly Dictionary<string, EForm> byCode;

    /// <param name="files">Each definition's file name (for messages) and JSON text.</param>
    public EFormRegistry(IEnumerable<(string Name, string Json)> files)
    {
        byCode = new Dictionary<string, EForm>(StringComparer.Ordinal);
        foreach (var (name, json) in files)
        {
            EForm form;
            try
            {
                form = JsonSerializer.Deserialize<EForm>(json, Json) ?? throw new JsonException("empty");
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"E-form definition {name} is not valid JSON for an e-form: {ex.Message}", ex);
            }

            Check(name, form);
            if (!byCode.TryAdd(form.ProcedureCode, form))
            {
                throw new InvalidOperationException($"E-form definition {name}: procedure {form.ProcedureCode} already has an e-form.");
            }
        }
    }

    /// <summary>The definitions embedded from <c>Modules/Dossiers/EForms/Definitions/</c>.</summary>
    public static EFormRegistry LoadEmbedded()
    {
        var assembly = typeof(EFormRegistry).Assembly;
        const string folder = ".Dossiers.EForms.Definitions.";
        var files = new List<(string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            files.Add((resource[(resource.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..], reader.ReadToEnd()));
        }

        return new EFormRegistry(files);
    }

    public IReadOnlyCollection<EForm> All => byCode.Values;

    /// <summary>The procedure's e-form, or null when it has none (then the wizard skips the e-form step).</summary>
    public EForm? Find(string procedureCode) => byCode.GetValueOrDefault(procedureCode.Trim());

    /// <summary>
    /// The e-form's values from a posted form whose inputs are named <paramref name="prefix"/> + field name
    /// (as <c>_EFormFields.cshtml</c> draws them); a checkbox group's ticks are joined by commas.
    /// </summary>
    public static Dictionary<string, string?> FromForm(IFormCollection form, string prefix = EFormView.DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(form);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length)
            {
                values[key[prefix.Length..]] = string.Join(',', value.Where(v => !string.IsNullOrEmpty(v)));
            }
        }

        return values;
    }

    /// <summary>Stored <c>Dossier.EFormJson</c> back to values, to draw the form again.</summary>
    public static Dictionary<string, string?> FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json)
            ? new(StringComparer.Ordinal)
            : new(JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [], StringComparer.Ordinal);

    /// <summary>Puts the errors in the page's model state under the posted names, where <c>_Field.cshtml</c> reads them.</summary>
    public static void AddErrors(EFormResult result, ModelStateDictionary modelState, string prefix = EFormView.DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(modelState);
        foreach (var (name, messages) in result.Errors)
        {
            foreach (var message in messages)
            {
                modelState.AddModelError(prefix + name, message);
            }
        }
    }

    /// <summary>400 ProblemDetails for the API, <c>errors</c> keyed by the e-form's field names.</summary>
    public static ValidationProblem ToProblem(EFormResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return TypedResults.ValidationProblem(
            result.Errors,
            title: "Tờ khai chưa hợp lệ",
            detail: "Một số thông tin của tờ khai điện tử cần sửa; xem từng trường trong errors.");
    }

    private static void Check(string file, EForm form)
    {
        void Fail(string message) => throw new InvalidOperationException($"E-form definition {file}: {message}");

        if (string.IsNullOrWhiteSpace(form.ProcedureCode) || string.IsNullOrWhiteSpace(form.Title) || form.Fields.Count == 0)
        {
            Fail("procedureCode, title and at least one field are needed.");
        }

        var seen = new Dictionary<string, EFormField>(StringComparer.Ordinal);
        foreach (var field in form.Fields)
        {
            if (!Regex.IsMatch(field.Name ?? string.Empty, "^[a-z][A-Za-z0-9]*$", RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                Fail($"field name '{field.Name}' must be ASCII camelCase.");
            }

            if (seen.ContainsKey(field.Name!))
            {
                Fail($"field '{field.Name}' appears twice.");
            }

            if (!EFormFieldTypes.All.Contains(field.Type ?? string.Empty))
            {
                Fail($"field '{field.Name}' has unknown type '{field.Type}'; known: {string.Join(", ", EFormFieldTypes.All)}.");
            }

            if (string.IsNullOrWhiteSpace(field.Label))
            {
                Fail($"field '{field.Name}' has no label.");
            }

            var hasChoices = field.Type is EFormFieldTypes.Select or EFormFieldTypes.Radio or EFormFieldTypes.Checkbox;
            if (hasChoices != (field.Choices.Count > 0))
            {
                Fail(hasChoices ? $"field '{field.Name}' ({field.Type}) needs choices." : $"field '{field.Name}' ({field.Type}) cannot have choices.");
            }

            if (field.Choices.Any(c => string.IsNullOrWhiteSpace(c.Value) || c.Value.Contains(',', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(c.Label))
                || field.Choices.Select(c => c.Value).Distinct(StringComparer.Ordinal).Count() != field.Choices.Count)
            {
                Fail($"field '{field.Name}' has an empty, repeated or comma-holding choice.");
            }

            if (field.Pattern is { } pattern)
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    Fail($"field '{field.Name}' has a bad pattern: {ex.Message}");
                }
            }

            if (field.ShowIf is { } condition)
            {
                if (!seen.TryGetValue(condition.Field ?? string.Empty, out var controller) || !controller.HasValue)
                {
                    Fail($"field '{field.Name}' showIf names '{condition.Field}', which is not an earlier field.");
                }
                else if (controller.Choices.Count > 0 && controller.Choices.All(c => c.Value != condition.EqualsValue))
                {
                    Fail($"field '{field.Name}' showIf equals '{condition.EqualsValue}', which is not a choice of '{condition.Field}'.");
                }
            }

            if ((field.NotFuture || field.NotBefore is not null || field.MinAge.Count > 0) && field.Type != EFormFieldTypes.Date)
            {
                Fail($"field '{field.Name}': notFuture, notBefore and minAge are for date fields.");
            }

            RefersTo(field.NotBefore, EFormFieldTypes.Date, "notBefore");
            RefersTo(field.BirthDateField, EFormFieldTypes.Date, "birthDateField");
            RefersTo(field.SexField, null, "sexField");
            foreach (var rule in field.MinAge)
            {
                if (rule.Years is < 1 or > 150)
                {
                    Fail($"field '{field.Name}' minAge years must be 1–150.");
                }

                RefersTo(rule.IfField, null, "minAge.ifField");
            }

            if ((field.BirthDateField ?? field.SexField) is not null && field.Type != EFormFieldTypes.Cccd)
            {
                Fail($"field '{field.Name}': birthDateField and sexField are for cccd fields.");
            }

            void RefersTo(string? name, string? type, string what)
            {
                if (name is not null && (!seen.TryGetValue(name, out var target) || !target.HasValue || (type is not null && target.Type != type)))
                {
                    Fail($"field '{field.Name}' {what} names '{name}', which is not an earlier {type ?? "input"} field.");
                }
            }

            seen[field.Name!] = field;
        }
    }
}

/// <summary>
/// The model of <c>/Modules/Dossiers/EForms/_EFormFields.cshtml</c>: the e-form, the values to show (as posted,
/// or as stored), and the prefix of the posted names. Errors come from the page's model state
/// (<see cref="EFormRegistry.AddErrors"/>).
/// </summary>
internal sealed record EFormView(EForm Form, IReadOnlyDictionary<string, string?> Values, string Prefix = EFormView.DefaultPrefix)
{
    public const string DefaultPrefix = "f.";

    /// <summary>The inputs as shared form fields, for <c>_Field.cshtml</c> and the page's error summary.</summary>
    public IReadOnlyList<FormField> Fields => Form.Inputs.Select(ToFormField).ToList();

    public static string Id(EFormField field) => "ef-" + field?.Name;

    public FormField ToFormField(EFormField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var value = Values.GetValueOrDefault(field.Name);
        var hints = new List<string>();
        if (field.ShowIf is { } condition && Form.Field(condition.Field) is { } controller)
        {
            var shownWhen = controller.Choices.FirstOrDefault(c => c.Value == condition.EqualsValue)?.Label ?? condition.EqualsValue;
            hints.Add($"Chỉ điền nếu {Lower(controller.Label)} là “{shownWhen}”.");
        }

        if (field.Hint is not null)
        {
            hints.Add(field.Hint);
        }

        if (field.Type == EFormFieldTypes.Date)
        {
            hints.Add("Ngày/tháng/năm, ví dụ 05/09/2024.");
            if (Formats.ParseDate(value) is { } date)
            {
                value = Formats.Date(date);
            }
        }

        var options = field.Choices.Select(c => (c.Value, c.Label)).ToList();
        if (field.Type == EFormFieldTypes.Select)
        {
            options.Insert(0, (string.Empty, "— Chọn —"));
        }

        var (type, inputMode, autocomplete) = field.Type switch
        {
            EFormFieldTypes.Date => ("text", "numeric", "off"),
            EFormFieldTypes.Number => ("text", "decimal", null),
            EFormFieldTypes.Cccd => ("text", "numeric", "off"),
            EFormFieldTypes.Tel => ("tel", "tel", null),
            _ => (field.Type, (string?)null, (string?)null),
        };

        return new FormField(Prefix + field.Name, Id(field), field.Label, value, type)
        {
            Required = field.Required,
            Hint = hints.Count == 0 ? null : string.Join(' ', hints),
            InputMode = inputMode,
            Autocomplete = autocomplete,
            MaxLength = field.Type == EFormFieldTypes.Cccd ? 12 : field.MaxLength,
            Options = options.Count == 0 ? null : options,
            Selected = field.Type == EFormFieldTypes.Checkbox ? (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null,
        };
    }

    private static string Lower(string label) => label.Length == 0 ? label : char.ToLower(label[0], Formats.Vietnamese) + label[1..];
}
