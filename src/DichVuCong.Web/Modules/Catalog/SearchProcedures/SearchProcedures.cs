using System.Globalization;
using DichVuCong.Web.Common.Text;

namespace DichVuCong.Web.Modules.Catalog.SearchProcedures;

/// <summary>The catalog query as typed in an address: every value a string, checked here.</summary>
internal sealed record SearchProceduresQuery(
    string? Q = null,
    string? Agency = null,
    string? Field = null,
    string? Level = null,
    string? OnlineLevel = null,
    string? Page = null,
    string? PageSize = null);

internal sealed record SearchProceduresResult(
    IReadOnlyList<ProcedureEntry> Items,
    int Total,
    int Page,
    int PageSize,
    AgencyNode? Agency,
    Field? Field,
    AgencyLevel? Level,
    OnlineLevel? OnlineLevel)
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;
}

/// <summary>Searches and filters the catalog; the catalog page and <c>GET /api/v1/procedures</c> both call it.</summary>
internal sealed class SearchProceduresHandler(CatalogIndex index)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Returns the page of results, or the errors keyed by parameter name, in Vietnamese.</summary>
    public async Task<(SearchProceduresResult? Result, Dictionary<string, string[]> Errors)> HandleAsync(
        SearchProceduresQuery query, CancellationToken cancellationToken)
    {
        var catalog = await index.GetAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        var page = ParsePositive(query.Page, 1, "page", "Số trang phải là số nguyên từ 1 trở lên.", int.MaxValue, errors);
        var pageSize = ParsePositive(query.PageSize, DefaultPageSize, "pageSize", $"Số dòng mỗi trang phải là số nguyên từ 1 đến {MaxPageSize}.", MaxPageSize, errors);

        AgencyNode? agency = null;
        if (!string.IsNullOrWhiteSpace(query.Agency) && (agency = catalog.Agencies.Find(query.Agency.Trim())) is null)
        {
            errors["agency"] = [$"Không có cơ quan mã \"{query.Agency}\"."];
        }

        Field? field = null;
        if (!string.IsNullOrWhiteSpace(query.Field)
            && (field = catalog.Fields.FirstOrDefault(f => string.Equals(f.Code, query.Field.Trim(), StringComparison.OrdinalIgnoreCase))) is null)
        {
            errors["field"] = [$"Không có lĩnh vực mã \"{query.Field}\"."];
        }

        var level = ParseChoice(query.Level, "level", "Cấp thực hiện", AgencyLevels.All, AgencyLevels.Slug, errors);
        var online = ParseChoice(query.OnlineLevel, "onlineLevel", "Mức độ trực tuyến", OnlineLevels.All, OnlineLevels.Slug, errors);

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        IEnumerable<ProcedureEntry> matches = catalog.Procedures;
        if (agency is not null)
        {
            var ids = agency.SelfAndDescendants().Select(a => a.Id).ToHashSet();
            matches = matches.Where(p => p.AgencyIds.Any(ids.Contains));
        }

        if (field is not null)
        {
            matches = matches.Where(p => p.Field.Id == field.Id);
        }

        if (level is { } lv)
        {
            matches = matches.Where(p => p.Levels.Contains(lv));
        }

        if (online is { } ol)
        {
            matches = matches.Where(p => p.OnlineLevel == ol);
        }

        var results = Rank(matches, query.Q);
        var items = results.Skip((int)Math.Min((long)(page - 1) * pageSize, int.MaxValue)).Take(pageSize).ToList();
        return (new SearchProceduresResult(items, results.Count, page, pageSize, agency, field, level, online), errors);
    }

    /// <summary>
    /// Every word must begin a word of the name, the code or the body (Vietnamese writes each syllable
    /// apart, so "khai si" finds "khai sinh" while "hon" does not find "phong"); digits may also match
    /// inside the code. Name matches rank above body matches, an exact code above everything.
    /// </summary>
    internal static List<ProcedureEntry> Rank(IEnumerable<ProcedureEntry> procedures, string? q)
    {
        var folded = VietnameseText.Fold(q);
        var words = VietnameseText.Words(folded);
        if (words.Length == 0)
        {
            return procedures.ToList();
        }

        var phrase = string.Join(' ', words);
        var scored = new List<(ProcedureEntry Entry, int Score)>();
        foreach (var procedure in procedures)
        {
            var score = 0;
            foreach (var word in words)
            {
                if (StartsAWord(procedure.SearchName, word))
                {
                    score += 10;
                }
                else if (IsCodePart(word) && procedure.Code.Contains(word, StringComparison.Ordinal))
                {
                    score += 5;
                }
                else if (StartsAWord(procedure.SearchBody, word))
                {
                    score += 1;
                }
                else
                {
                    score = -1;
                    break;
                }
            }

            if (score < 0)
            {
                continue;
            }

            if (string.Equals(procedure.Code, phrase, StringComparison.Ordinal))
            {
                score += 1000;
            }
            else if (words.Length > 1 && procedure.SearchName.Contains(phrase, StringComparison.Ordinal))
            {
                score += 50;
            }

            scored.Add((procedure, score));
        }

        // Among equal scores the shorter name is the closer match ("Đăng ký khai sinh" before
        // "Cấp bản sao ... Giấy khai sinh"); the snapshot's name order settles the rest (stable sort).
        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Entry.SearchName.Length).Select(s => s.Entry).ToList();
    }

    private static bool StartsAWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || !char.IsLetterOrDigit(text[at - 1]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCodePart(string word) => word.All(c => char.IsAsciiDigit(c) || c == '.');

    private static T? ParseChoice<T>(string? value, string name, string label, T[] all, Func<T, string> slug, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Slugs.TryParse(value, all, slug, out var parsed))
        {
            return parsed;
        }

        errors[name] = [$"{label} phải là một trong: {string.Join(", ", all.Select(slug))}."];
        return null;
    }

    private static int ParsePositive(string? value, int fallback, string name, string message, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1 && parsed <= max)
        {
            return parsed;
        }

        errors[name] = [message];
        return fallback;
    }
}
