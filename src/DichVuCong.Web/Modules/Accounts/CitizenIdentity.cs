namespace DichVuCong.Web.Modules.Accounts;

internal enum Sex
{
    Male = 1,
    Female = 2,
}

/// <summary>
/// The structure of a CCCD number (Thông tư 59/2021/TT-BCA): 3 digits of the province of birth
/// (001 Hà Nội … 096 Cà Mau), one digit for century and sex (0/1 = 1900s male/female, 2/3 = 2000s,
/// 4/5 = 2100s, …), two digits of the birth year, then six digits. An old CMND has 9 digits.
/// </summary>
internal static class CitizenIdentity
{
    /// <summary>Province-of-birth codes in use (the 63 provinces before the 2025 merger keep their codes).</summary>
    private static readonly HashSet<int> ProvinceCodes =
    [
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45,
        46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92,
        93, 94, 95, 96,
    ];

    /// <summary>
    /// Checks a 12-digit CCCD against the holder's birth date and sex; returns a message in Vietnamese
    /// saying what to fix, or null when it is well formed.
    /// </summary>
    public static string? Check(string? number, DateOnly? birthDate = null, Sex? sex = null)
    {
        var digits = number?.Trim() ?? string.Empty;
        if (digits.Length != 12 || !digits.All(char.IsAsciiDigit))
        {
            return "Nhập số CCCD gồm 12 chữ số.";
        }

        if (!ProvinceCodes.Contains(int.Parse(digits.AsSpan(0, 3), provider: System.Globalization.CultureInfo.InvariantCulture)))
        {
            return "Ba chữ số đầu của số CCCD không phải mã tỉnh, thành phố nơi đăng ký khai sinh. Kiểm tra lại số trên thẻ.";
        }

        var centuryAndSex = digits[3] - '0';
        var century = 1900 + (centuryAndSex / 2 * 100);
        var year = century + ((digits[4] - '0') * 10) + (digits[5] - '0');
        if (birthDate is { } born && born.Year != year)
        {
            return $"Số CCCD cho năm sinh {year}, khác với ngày sinh đã nhập. Kiểm tra lại số CCCD hoặc ngày sinh.";
        }

        if (sex is { } s && (centuryAndSex % 2 == 0 ? Sex.Male : Sex.Female) != s)
        {
            return "Chữ số thứ tư của số CCCD không khớp với giới tính đã chọn. Kiểm tra lại số CCCD hoặc giới tính.";
        }

        return null;
    }

    /// <summary>Shows only the last three digits, for lists and messages: ●●●●●●●●●234.</summary>
    public static string Mask(string number) =>
        number.Length <= 3 ? new string('●', number.Length) : new string('●', number.Length - 3) + number[^3..];
}
