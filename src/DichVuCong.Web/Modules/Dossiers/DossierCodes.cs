using System.Globalization;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>
/// Gives dossier codes: <c>&lt;agency code&gt;-&lt;YYMMDD&gt;-&lt;XXXX&gt;</c>, a sequence per receiving agency per
/// Vietnam-time day. One atomic upsert takes the next number, so concurrent submissions on SQLite and
/// PostgreSQL never share one; a number taken by a transaction that rolls back is skipped (gaps are allowed).
/// </summary>
internal sealed class DossierCodes(AppDbContext db, TimeProvider time, IOptions<DossierOptions> options)
{
    public async Task<string> NextAsync(int agencyId, string agencyCode, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var day = DateOnly.FromDateTime(VietnamTime.ToLocal(now));
        var next = await db.Database
            .SqlQuery<int>($"""
                INSERT INTO "DossierCodeCounters" ("AgencyId", "Day", "Last") VALUES ({agencyId}, {day}, 1)
                ON CONFLICT ("AgencyId", "Day") DO UPDATE SET "Last" = "DossierCodeCounters"."Last" + 1
                RETURNING "Last" AS "Value"
                """)
            .ToListAsync(cancellationToken);
        return Format(options.Value.CodePattern, agencyCode, day, next.Single());
    }

    /// <summary>Fills the pattern; a sequence wider than its format keeps all its digits.</summary>
    public static string Format(string pattern, string agencyCode, DateOnly day, int sequence)
    {
        var text = pattern.Replace("{agency}", agencyCode, StringComparison.Ordinal);
        text = ReplaceFormatted(text, "date", f => day.ToString(f, CultureInfo.InvariantCulture));
        return ReplaceFormatted(text, "seq", f => sequence.ToString(f, CultureInfo.InvariantCulture));
    }

    private static string ReplaceFormatted(string text, string name, Func<string, string> format)
    {
        var start = text.IndexOf("{" + name + ":", StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var end = text.IndexOf('}', start);
        var spec = text[(start + name.Length + 2)..end];
        return text[..start] + format(spec) + text[(end + 1)..];
    }
}
