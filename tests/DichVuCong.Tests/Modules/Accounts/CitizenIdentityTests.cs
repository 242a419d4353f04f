using DichVuCong.Web.Modules.Accounts;

namespace DichVuCong.Tests.Modules.Accounts;

public sealed class CitizenIdentityTests
{
    [Theory]
    [InlineData("036095001234", 1995, true)] // Nam Định, 1900s, male
    [InlineData("001305012345", 2005, false)] // Hà Nội, 2000s, female
    [InlineData("096201000001", 2001, true)] // Cà Mau, 2000s, male
    [InlineData("079188000009", 1988, false)] // TP.HCM, 1900s, female
    public void A_well_formed_number_that_matches_birth_year_and_sex_is_accepted(string number, int year, bool male)
    {
        Assert.Null(CitizenIdentity.Check(number, new DateOnly(year, 6, 15), male ? Sex.Male : Sex.Female));
    }

    [Theory]
    [InlineData("", "12 chữ số")]
    [InlineData("03609500123", "12 chữ số")]
    [InlineData("0360950012345", "12 chữ số")]
    [InlineData("03609500123a", "12 chữ số")]
    [InlineData("003095001234", "mã tỉnh")]
    [InlineData("099095001234", "mã tỉnh")]
    public void A_malformed_number_is_refused_with_a_message_saying_what_is_wrong(string number, string expected)
    {
        Assert.Contains(expected, CitizenIdentity.Check(number), StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_for_another_birth_year_or_sex_is_refused()
    {
        Assert.Contains("năm sinh 1995", CitizenIdentity.Check("036095001234", new DateOnly(1996, 1, 1), Sex.Male), StringComparison.Ordinal);
        Assert.Contains("giới tính", CitizenIdentity.Check("036095001234", new DateOnly(1995, 1, 1), Sex.Female), StringComparison.Ordinal);
        Assert.Contains("năm sinh 2005", CitizenIdentity.Check("001305012345", new DateOnly(1905, 1, 1), Sex.Female), StringComparison.Ordinal);
    }

    [Fact]
    public void A_masked_number_shows_only_its_last_three_digits()
    {
        Assert.Equal("●●●●●●●●●234", CitizenIdentity.Mask("036095001234"));
    }
}
