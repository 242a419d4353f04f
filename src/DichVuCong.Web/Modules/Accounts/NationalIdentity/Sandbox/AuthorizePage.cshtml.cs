using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace DichVuCong.Web.Modules.Accounts.NationalIdentity.Sandbox;

/// <summary>
/// <c>/dinh-danh-thu/authorize</c>: the sandbox provider's sign-in, where a developer picks a test person
/// instead of proving who they are. The request is checked again on the post, since its fields come back
/// from the browser; an unknown client or redirect address is never redirected to.
/// </summary>
internal sealed class AuthorizePageModel(SandboxIdentityProvider provider) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "client_id")]
    public string? ClientId { get; set; }

    [BindProperty(SupportsGet = true, Name = "redirect_uri")]
    public string? RedirectUri { get; set; }

    [BindProperty(SupportsGet = true, Name = "response_type")]
    public string? ResponseType { get; set; }

    [BindProperty(SupportsGet = true, Name = "response_mode")]
    public string? ResponseMode { get; set; }

    [BindProperty(SupportsGet = true, Name = "scope")]
    public string? Scope { get; set; }

    [BindProperty(SupportsGet = true, Name = "state")]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "nonce")]
    public string? Nonce { get; set; }

    [BindProperty(SupportsGet = true, Name = "code_challenge")]
    public string? CodeChallenge { get; set; }

    [BindProperty(SupportsGet = true, Name = "code_challenge_method")]
    public string? CodeChallengeMethod { get; set; }

    [BindProperty(Name = "nguoi")]
    public string? Person { get; set; }

    [BindProperty(Name = "huy")]
    public bool Cancel { get; set; }

    /// <summary>Why the request cannot be answered at all (no redirect is safe).</summary>
    public string? RequestError { get; private set; }

    public string? PersonError { get; private set; }

    public static IReadOnlyList<SandboxPerson> People => SandboxIdentityProvider.People;

    public IActionResult OnGet() => Check() ?? Page();

    public IActionResult OnPost()
    {
        if (Check() is { } refused)
        {
            return refused;
        }

        if (Cancel)
        {
            return Answer(("error", "access_denied"));
        }

        var person = People.FirstOrDefault(p => p.Subject == Person);
        if (person is null)
        {
            PersonError = "Chọn một người dùng thử";
            return Page();
        }

        return Answer(("code", provider.IssueCode(ClientId!, RedirectUri!, CodeChallenge!, Nonce, person)));
    }

    /// <summary>Refuses what a real provider refuses: on the page when the client is unknown, otherwise back to the client.</summary>
    private IActionResult? Check()
    {
        if (ClientId != provider.Client.ClientId)
        {
            RequestError = "Ứng dụng (client_id) chưa được đăng ký với máy chủ định danh thử nghiệm.";
        }
        else if (RedirectUri != SandboxIdentityProvider.RegisteredRedirectUri(Request))
        {
            RequestError = "Địa chỉ trả về (redirect_uri) chưa được đăng ký cho ứng dụng này.";
        }

        if (RequestError is not null)
        {
            var page = Page();
            page.StatusCode = StatusCodes.Status400BadRequest;
            return page;
        }

        if (ResponseType != "code")
        {
            return Answer(("error", "unsupported_response_type"));
        }

        if (ResponseMode is not (null or "" or "query"))
        {
            return Answer(("error", "invalid_request"), ("error_description", "response_mode must be query"));
        }

        if (!(Scope ?? string.Empty).Split(' ').Contains("openid", StringComparer.Ordinal))
        {
            return Answer(("error", "invalid_scope"));
        }

        if (string.IsNullOrEmpty(CodeChallenge) || CodeChallengeMethod != "S256")
        {
            return Answer(("error", "invalid_request"), ("error_description", "PKCE with S256 is required"));
        }

        return null;
    }

    private RedirectResult Answer(params (string Name, string Value)[] parameters)
    {
        var address = RedirectUri!;
        foreach (var (name, value) in parameters)
        {
            address = QueryHelpers.AddQueryString(address, name, value);
        }

        if (State is not null)
        {
            address = QueryHelpers.AddQueryString(address, "state", State);
        }

        return Redirect(address);
    }
}
