using Microsoft.AspNetCore.Identity;

namespace DichVuCong.Web.Modules.Accounts;

/// <summary>Identity's messages in plain Vietnamese that say how to fix the problem.</summary>
internal sealed class VietnameseIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "Mật khẩu hiện tại không đúng." };

    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"Mật khẩu cần ít nhất {length} ký tự." };

    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = "Mật khẩu cần có ít nhất một chữ số (0–9)." };

    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = "Mật khẩu cần có ít nhất một chữ thường (a–z)." };

    public override IdentityError PasswordRequiresUpper() => new() { Code = nameof(PasswordRequiresUpper), Description = "Mật khẩu cần có ít nhất một chữ hoa (A–Z)." };

    public override IdentityError PasswordRequiresNonAlphanumeric() => new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = "Mật khẩu cần có ít nhất một ký tự đặc biệt." };

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => new() { Code = nameof(PasswordRequiresUniqueChars), Description = $"Mật khẩu cần có ít nhất {uniqueChars} ký tự khác nhau." };

    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = "Tên đăng nhập này đã được dùng. Hãy chọn tên khác." };

    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các ký tự . _ -" };

    public override IdentityError DefaultError() => new() { Code = nameof(DefaultError), Description = "Không thực hiện được. Vui lòng thử lại." };
}
