using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace DichVuCong.Web.Modules.Dossiers.LookUpDossier;

/// <summary>
/// <c>/tra-cuu?ma=…</c>: anyone with a dossier code (printed on the slips, with a QR code to this address) sees where
/// the dossier is — procedure, agency, status, dates — and the applicant's name masked (SPEC §4, privacy). Never the
/// full name, the ID, the address or the files.
/// <para>
/// Without a code, a person types their CCCD/CMND number; a code goes by SMS to the phone on their dossiers, and the
/// right code shows the list of those dossiers (the same fields) for 15 minutes. The page answers a number that has
/// dossiers exactly as one that has none, so it cannot be used to learn who has dossiers here.
/// </para>
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.LookupRateLimit)]
internal sealed class LookUpDossierPageModel(AppDbContext db, CatalogIndex catalog, LookupChallenges challenges, TimeProvider time) : PageModel
{
    public const string CodeSent = "Nếu có hồ sơ mang số giấy tờ này, mã xác minh gồm 6 chữ số đã được gửi tới số điện thoại đăng ký trên hồ sơ. Mã có hiệu lực 5 phút.";

    public string? Code { get; private set; }

    public LookedUp? Result { get; private set; }

    /// <summary>Why the code gave nothing.</summary>
    public string? Error { get; private set; }

    /// <summary>The CCCD/CMND number as typed (step 1).</summary>
    [BindProperty]
    public string? IdentityNumber { get; set; }

    /// <summary>The code received by SMS (step 2).</summary>
    [BindProperty]
    public string? VerificationCode { get; set; }

    /// <summary>The number being verified, masked; set when the code form is shown.</summary>
    public string? Pending { get; private set; }

    /// <summary>Shown above the code form when the number asked too recently or too often.</summary>
    public string? WaitHint { get; private set; }

    /// <summary>The dossiers of the verified number, newest first; null without a valid grant.</summary>
    public List<LookedUp>? Mine { get; private set; }

    public string? GrantedFor { get; private set; }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task OnGetAsync(string? ma, CancellationToken cancellationToken)
    {
        await LoadPassesAsync(cancellationToken);
        if (ma is null)
        {
            return;
        }

        Code = ma.Trim();
        if (Code.Length is 0 or > 64)
        {
            Refuse("Nhập mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.31.H99-261202-0001");
            return;
        }

        Result = await DossierLookup.FindAsync(db, catalog, Code, cancellationToken);
        if (Result is null)
        {
            Refuse($"Không tìm thấy hồ sơ có mã “{Code}”. Kiểm tra lại mã in ở đầu Giấy tiếp nhận hồ sơ và hẹn trả kết quả, hoặc trong email, tin nhắn báo đã nộp hồ sơ. Không có mã? Tra cứu bằng số CCCD/CMND bên dưới.");
        }
    }

    /// <summary>Step 1: a number; always the same answer and the code form.</summary>
    public async Task<IActionResult> OnPostSendAsync(CancellationToken cancellationToken)
    {
        await LoadPassesAsync(cancellationToken, showChallenge: false);
        var (number, error) = LookupChallenges.Normalize(IdentityNumber);
        if (number is null)
        {
            ModelState.AddModelError(nameof(IdentityNumber), error!);
            return Page();
        }

        await SendAsync(number, cancellationToken);
        return Page();
    }

    /// <summary>"Gửi lại mã": a new code for the number being verified.</summary>
    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        await LoadPassesAsync(cancellationToken, showChallenge: false);
        if (LookupPass.Read(HttpContext, LookupPass.Challenge, Now) is not { } pass)
        {
            ModelState.AddModelError(nameof(IdentityNumber), "Phiên xác minh đã hết hạn. Nhập lại số CCCD/CMND để nhận mã mới.");
            return Page();
        }

        await SendAsync(pass.IdentityNumber, cancellationToken);
        return Page();
    }

    /// <summary>Step 2: the code; a right one grants the list for 15 minutes.</summary>
    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        await LoadPassesAsync(cancellationToken, showChallenge: false);
        if (LookupPass.Read(HttpContext, LookupPass.Challenge, Now) is not { } pass)
        {
            ModelState.AddModelError(nameof(IdentityNumber), "Phiên xác minh đã hết hạn. Nhập lại số CCCD/CMND để nhận mã mới.");
            return Page();
        }

        Pending = CitizenIdentity.Mask(pass.IdentityNumber);
        if (string.IsNullOrWhiteSpace(VerificationCode) || VerificationCode.Count(char.IsAsciiDigit) != 6)
        {
            ModelState.AddModelError(nameof(VerificationCode), "Nhập mã gồm 6 chữ số trong tin nhắn SMS.");
            return Page();
        }

        var check = await challenges.CheckAsync(pass.ChallengeId, pass.IdentityNumber, VerificationCode, cancellationToken);
        if (check is not LookupCodeCheck.Accepted)
        {
            ModelState.AddModelError(nameof(VerificationCode), check is LookupCodeCheck.Wrong w
                ? $"Mã xác minh không đúng. Bạn còn {w.AttemptsLeft} lần thử."
                : "Mã xác minh đã hết hạn hoặc đã nhập sai quá 5 lần. Bấm “Gửi lại mã” để nhận mã mới.");
            return Page();
        }

        LookupPass.Clear(HttpContext, LookupPass.Challenge);
        LookupPass.Write(HttpContext, LookupPass.Grant, pass with { ChallengeId = Guid.Empty, ExpiresAt = Now + LookupPass.GrantLifetime }, Now);
        return Redirect("/tra-cuu#ho-so-theo-giay-to");
    }

    /// <summary>"Nhập số khác": back to step 1.</summary>
    public IActionResult OnPostRestart()
    {
        LookupPass.Clear(HttpContext, LookupPass.Challenge);
        return Redirect("/tra-cuu#theo-giay-to");
    }

    /// <summary>"Thoát": forgets the grant on this browser.</summary>
    public IActionResult OnPostLeave()
    {
        LookupPass.Clear(HttpContext, LookupPass.Grant);
        LookupPass.Clear(HttpContext, LookupPass.Challenge);
        return Redirect("/tra-cuu");
    }

    private async Task SendAsync(string number, CancellationToken cancellationToken)
    {
        var (id, wait) = await challenges.RequestAsync(number, cancellationToken);
        if (wait is { } w)
        {
            WaitHint = w.TotalSeconds < 90
                ? $"Mỗi số giấy tờ chỉ nhận một mã trong 60 giây. Nếu chưa nhận được tin nhắn, bấm “Gửi lại mã” sau {Math.Ceiling(w.TotalSeconds)} giây."
                : $"Mỗi số giấy tờ chỉ nhận tối đa 5 mã trong một giờ. Vui lòng thử lại sau {Math.Ceiling(w.TotalMinutes)} phút.";
        }

        // Throttled, a person keeps the challenge they hold for this number; anyone else gets one that matches no code.
        var held = LookupPass.Read(HttpContext, LookupPass.Challenge, Now);
        if (id is not null || held?.IdentityNumber != number)
        {
            LookupPass.Write(HttpContext, LookupPass.Challenge, new LookupPass(id ?? Guid.NewGuid(), number, Now + LookupPass.ChallengeLifetime), Now);
        }

        Pending = CitizenIdentity.Mask(number);
        IdentityNumber = null;
    }

    /// <summary>What this browser holds: the list of a verified number, and the code form while one is being verified.</summary>
    private async Task LoadPassesAsync(CancellationToken cancellationToken, bool showChallenge = true)
    {
        if (LookupPass.Read(HttpContext, LookupPass.Grant, Now) is { } grant)
        {
            GrantedFor = CitizenIdentity.Mask(grant.IdentityNumber);
            Mine = await DossierLookup.ListAsync(db, catalog, grant.IdentityNumber, cancellationToken);
        }

        if (showChallenge && LookupPass.Read(HttpContext, LookupPass.Challenge, Now) is { } pass)
        {
            Pending = CitizenIdentity.Mask(pass.IdentityNumber);
        }
    }

    /// <summary>Shown beside the field (the form's partials read the model state) and in the error summary.</summary>
    private void Refuse(string message)
    {
        Error = message;
        ModelState.AddModelError("ma", message);
    }
}
