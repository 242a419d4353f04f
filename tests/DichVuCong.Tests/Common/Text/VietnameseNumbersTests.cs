using DichVuCong.Web.Common.Text;

namespace DichVuCong.Tests.Common.Text;

/// <summary>Amounts in words as a Vietnamese receipt writes them.</summary>
public sealed class VietnameseNumbersTests
{
    [Theory]
    [InlineData(0, "Không đồng")]
    [InlineData(5, "Năm đồng")]
    [InlineData(10, "Mười đồng")]
    [InlineData(11, "Mười một đồng")]
    [InlineData(14, "Mười bốn đồng")]
    [InlineData(15, "Mười lăm đồng")]
    [InlineData(20, "Hai mươi đồng")]
    [InlineData(21, "Hai mươi mốt đồng")]
    [InlineData(24, "Hai mươi tư đồng")]
    [InlineData(25, "Hai mươi lăm đồng")]
    [InlineData(100, "Một trăm đồng")]
    [InlineData(101, "Một trăm lẻ một đồng")]
    [InlineData(105, "Một trăm lẻ năm đồng")]
    [InlineData(110, "Một trăm mười đồng")]
    [InlineData(115, "Một trăm mười lăm đồng")]
    [InlineData(1_000, "Một nghìn đồng")]
    [InlineData(8_000, "Tám nghìn đồng")]
    [InlineData(10_000, "Mười nghìn đồng")]
    [InlineData(50_000, "Năm mươi nghìn đồng")]
    [InlineData(100_000, "Một trăm nghìn đồng")]
    [InlineData(200_000, "Hai trăm nghìn đồng")]
    [InlineData(1_000_005, "Một triệu không trăm lẻ năm đồng")]
    [InlineData(1_005_000, "Một triệu không trăm lẻ năm nghìn đồng")]
    [InlineData(1_050_000, "Một triệu không trăm năm mươi nghìn đồng")]
    [InlineData(1_250_000, "Một triệu hai trăm năm mươi nghìn đồng")]
    [InlineData(2_000_000_000, "Hai tỷ đồng")]
    [InlineData(2_000_300_000, "Hai tỷ ba trăm nghìn đồng")]
    [InlineData(2_000_000_050, "Hai tỷ không trăm năm mươi đồng")]
    [InlineData(1_000_000_000_000, "Một nghìn tỷ đồng")]
    public void Amounts_read_as_receipts_write_them(long vnd, string words) =>
        Assert.Equal(words, VietnameseNumbers.Money(vnd));

    [Fact]
    public void A_negative_amount_has_no_words() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VietnameseNumbers.Words(-1));
}
