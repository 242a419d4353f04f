namespace DichVuCong.Web.Modules.Catalog;

/// <summary>Reads an enum value from the word used in addresses (<c>tinh</c>, <c>toan-trinh</c>) or its code name.</summary>
internal static class Slugs
{
    public static bool TryParse<T>(string? value, IEnumerable<T> all, Func<T, string> slug, out T result)
        where T : struct, Enum
    {
        var text = value?.Trim();
        foreach (var candidate in all)
        {
            if (string.Equals(text, slug(candidate), StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                result = candidate;
                return true;
            }
        }

        result = default;
        return false;
    }
}
