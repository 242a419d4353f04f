using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Text;

namespace DichVuCong.Tests.Modules.Catalog;

public sealed class FoldingTests
{
    [Theory]
    [InlineData("Đăng ký khai sinh", "dang ky khai sinh")]
    [InlineData("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon")]
    [InlineData("  Chứng   thực\tbản sao ", "chung thuc ban sao")]
    [InlineData("Giấy phép xây dựng", "giay phep xay dung")]
    [InlineData("1.001193", "1.001193")]
    [InlineData("Người được ủy quyền", "nguoi duoc uy quyen")]
    public void Folding_drops_case_and_diacritics_and_turns_d_bar_into_d(string input, string expected)
    {
        Assert.Equal(expected, VietnameseText.Fold(input));
    }

    [Fact]
    public void Composed_and_decomposed_input_fold_the_same()
    {
        const string composed = "Đăng ký khai tử";
        var decomposed = composed.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);

        Assert.Equal(VietnameseText.Fold(composed), VietnameseText.Fold(decomposed));
    }
}

public abstract class SearchTests(PortalFixture portal)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<List<string>> CodesAsync(string q)
    {
        using var client = portal.CreateClient();
        var body = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/procedures?pageSize=100&q=" + Uri.EscapeDataString(q), UriKind.Relative), Ct);
        return body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToList();
    }

    [Theory]
    [InlineData("đăng ký khai sinh")]
    [InlineData("dang ky khai sinh")]
    [InlineData("DANG KY KHAI SINH")]
    [InlineData("Đăng Ký Khai Sinh")]
    public async Task Case_and_diacritics_do_not_change_the_answer(string q)
    {
        var codes = await CodesAsync(q);

        Assert.Equal("1.001193", codes[0]);
    }

    [Fact]
    public async Task Decomposed_unicode_input_finds_the_same_procedures()
    {
        var composed = await CodesAsync("Đăng ký khai tử");
        var decomposed = await CodesAsync("Đăng ký khai tử".Normalize(NormalizationForm.FormD));

        Assert.Equal("1.000656", composed[0]);
        Assert.Equal(composed, decomposed);
    }

    [Fact]
    public async Task A_procedure_code_finds_that_procedure_first()
    {
        Assert.Equal("1.001193", (await CodesAsync("1.001193"))[0]);
        Assert.Equal("2.000815", (await CodesAsync(" 2.000815 "))[0]);
    }

    [Fact]
    public async Task Partial_words_match()
    {
        Assert.Contains("1.001193", await CodesAsync("khai si"));
        Assert.Contains("1.013225", await CodesAsync("giay phep xay"));
        Assert.Contains("2.000815", await CodesAsync("chung thu"));
    }

    [Fact]
    public async Task Name_matches_rank_above_matches_in_the_body()
    {
        // "Giấy khai sinh" is the result of several procedures, but only some are named after khai sinh.
        var codes = await CodesAsync("khai sinh");
        var namedAfterIt = new[] { "1.001193", "2.000528", "1.004884" };

        var lastNamed = namedAfterIt.Max(c => codes.IndexOf(c));
        Assert.True(namedAfterIt.All(codes.Contains), string.Join(",", codes));
        Assert.Contains("2.000635", codes); // "bản sao Giấy khai sinh" is in its name too
        var bodyOnly = codes.Where(c => !namedAfterIt.Contains(c) && c != "2.000635" && c != "2.000986").ToList();
        Assert.All(bodyOnly, c => Assert.True(codes.IndexOf(c) > lastNamed, $"{c} matched only in the body yet ranks above a name match"));
    }

    [Fact]
    public async Task A_syllable_matches_the_start_of_a_word_not_the_inside_of_another()
    {
        // "hôn" (marriage) must not find every text with "phòng" or "không" in it.
        var codes = await CodesAsync("ket hon");

        Assert.Equal("1.000894", codes[0]);
        Assert.DoesNotContain("1.013225", codes);
        Assert.DoesNotContain("1.001612", codes);
        Assert.True(codes.Count < 15, $"{codes.Count} results for ket hon");
    }

    [Fact]
    public async Task Words_that_match_nothing_give_an_empty_list_not_an_error()
    {
        Assert.Empty(await CodesAsync("xyzzy khong ton tai"));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SearchTestsOnSqlite(SqlitePortal portal) : SearchTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class SearchTestsOnPostgreSql(PostgresPortal portal) : SearchTests(portal);

[CollectionDefinition(Name)]
public sealed class BothDatabasesCollection : ICollectionFixture<SqlitePortal>, ICollectionFixture<PostgresPortal>
{
    public const string Name = "SQLite and PostgreSQL";
}

[Collection(BothDatabasesCollection.Name)]
public sealed class SearchConsistencyTests(SqlitePortal sqlite, PostgresPortal postgres)
{
    [Theory]
    [InlineData("")]
    [InlineData("khai sinh")]
    [InlineData("chung thuc")]
    [InlineData("giay phep")]
    [InlineData("dat dai")]
    [InlineData("1.0")]
    [InlineData("ho kinh doanh")]
    public async Task SQLite_and_PostgreSQL_give_the_same_answers(string q)
    {
        var url = new Uri("/api/v1/procedures?pageSize=100&q=" + Uri.EscapeDataString(q), UriKind.Relative);
        using var sqliteClient = sqlite.CreateClient();
        using var postgresClient = postgres.CreateClient();

        var fromSqlite = await sqliteClient.GetStringAsync(url, CancellationToken.None);
        var fromPostgres = await postgresClient.GetStringAsync(url, CancellationToken.None);

        Assert.Equal(fromSqlite, fromPostgres);
    }
}
