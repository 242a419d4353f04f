// The reference for "a lookup by code at ≥ 0.8× a bare Npgsql endpoint running the same query" (docs/performance.md):
// a minimal ASP.NET Core app with ONE endpoint, GET /lookup/{code}, that opens a connection from a pooled
// NpgsqlDataSource, runs the SQL the portal's GET /api/v1/lookup/{code} runs, and answers the same JSON.
// The same with Microsoft.Data.Sqlite (the portal's SQLite driver, pooled) for the SQLite pass.
//
// Usage:  DichVuCong.LookupBench <port> <PostgreSQL|Sqlite> "<connection string>"
//   listens on http://127.0.0.1:<port>; bench/run.sh starts it pinned to the server core, against the portal's database.
//
// Like the portal's catalog snapshot, the procedure and agency names are read once at start-up and kept in memory,
// so each request runs exactly one query, as the portal's does.
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

if (args.Length != 3 || args[1] is not ("PostgreSQL" or "Sqlite"))
{
    await Console.Error.WriteLineAsync("usage: DichVuCong.LookupBench <port> <PostgreSQL|Sqlite> \"<connection string>\"");
    return 2;
}

await using DbDataSource dataSource = args[1] == "PostgreSQL" ? NpgsqlDataSource.Create(args[2]) : SqliteFactory.Instance.CreateDataSource(args[2]);
var sql = args[1] == "PostgreSQL" ? Lookup.PostgreSqlSql : Lookup.SqliteSql;
var procedures = await Catalog.LoadAsync(dataSource, """SELECT "Id", "Name" FROM "Procedures" """);
var agencies = await Catalog.LoadAsync(dataSource, """SELECT "Id", "Name" FROM "Agencies" """);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{int.Parse(args[0], CultureInfo.InvariantCulture)}");
var app = builder.Build();
app.MapGet("/lookup/{code}", async (string code, CancellationToken cancellationToken) =>
{
    await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    var key = command.CreateParameter();
    key.ParameterName = Lookup.KeyParameter;
    key.Value = code.Trim().ToUpperInvariant();
    command.Parameters.Add(key);
    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
    if (!await reader.ReadAsync(cancellationToken))
    {
        return Results.NotFound();
    }

    // Columns in the order of the SQL: Id, Code, ProcedureId, AgencyId, Status, FullName, SubmittedAt, ReceivedAt, DueAt, FinishedAt.
    var status = reader.GetInt32(4);
    return Results.Ok(new LookupView(
        reader.GetString(1),
        procedures.GetValueOrDefault(reader.GetInt32(2), "—"),
        Lookup.MaskName(reader.GetString(5)),
        reader.IsDBNull(7) ? null : reader.GetDateTime(7),
        reader.IsDBNull(8) ? null : reader.GetDateTime(8),
        Lookup.StatusCodes[status],
        Lookup.StatusLabels[status],
        agencies.GetValueOrDefault(reader.GetInt32(3), "—")));
});
await app.RunAsync();
return 0;

/// <summary>The portal's answer, field for field (DossierLookup.LookupView), so both endpoints serialize the same JSON.</summary>
internal sealed record LookupView(string Code, string ProcedureName, string ApplicantMasked, DateTime? ReceivedAt, DateTime? DueAt, string Status, string StatusText, string AgencyName);

/// <summary>What the portal's DossierLookup does around its query, copied because this app references nothing of the portal.</summary>
internal static class Lookup
{
    /// <summary>
    /// The SQL EF Core generates on PostgreSQL for DossierLookup.FindAsync (captured from the portal's command log:
    /// Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information). It MUST be kept in step with
    /// DossierLookup.FindAsync/Project: if the portal's query changes, capture it again and paste it here.
    /// </summary>
    public const string PostgreSqlSql = """
        SELECT d."Id", d."Code", d."ProcedureId", d."AgencyId", d."Status", d."Applicant_FullName", d."SubmittedAt", d."ReceivedAt", d."DueAt", d."FinishedAt"
        FROM "Dossiers" AS d
        WHERE d."Code" = @key AND d."Status" <> 0
        LIMIT 1
        """;

    /// <summary>The same query as EF Core generates it on SQLite (captured the same way); keep it in step likewise.</summary>
    public const string SqliteSql = """
        SELECT "d"."Id", "d"."Code", "d"."ProcedureId", "d"."AgencyId", "d"."Status", "d"."Applicant_FullName", "d"."SubmittedAt", "d"."ReceivedAt", "d"."DueAt", "d"."FinishedAt"
        FROM "Dossiers" AS "d"
        WHERE "d"."Code" = @key AND "d"."Status" <> 0
        LIMIT 1
        """;

    /// <summary>The parameter name in the SQL, as EF Core names it.</summary>
    public const string KeyParameter = "key";

    /// <summary>DossierStatuses.Code, by the stored value of DossierStatus.</summary>
    public static readonly string[] StatusCodes =
        ["draft", "submitted", "supplement_requested", "received", "processing", "awaiting_payment", "result_ready", "completed", "refused", "stopped", "withdrawn"];

    /// <summary>DossierStatuses.Label, by the stored value of DossierStatus.</summary>
    public static readonly string[] StatusLabels =
        ["Hồ sơ nháp", "Mới nộp, chờ tiếp nhận", "Yêu cầu bổ sung", "Đã tiếp nhận", "Đang xử lý", "Chờ thanh toán", "Có kết quả, chờ trả", "Đã trả kết quả", "Từ chối", "Dừng giải quyết", "Công dân rút hồ sơ"];

    /// <summary>DossierLookup.MaskName: "Nguyễn Văn An" → "Nguyễn V** A**".</summary>
    public static string MaskName(string fullName)
    {
        var words = fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length == 0 ? "—" : string.Join(' ', words.Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + "**"));
    }
}

/// <summary>Id → name of the procedures or agencies, read once (the portal keeps them in its catalog snapshot).</summary>
internal static class Catalog
{
    public static async Task<Dictionary<int, string>> LoadAsync(DbDataSource dataSource, string sql)
    {
        var names = new Dictionary<int, string>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names[reader.GetInt32(0)] = reader.GetString(1);
        }

        return names;
    }
}
