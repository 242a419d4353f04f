using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace DichVuCong.Web.Modules.Accounts.SignIn;

internal static class SignOutEndpoint
{
    /// <summary>
    /// <c>POST /dang-xuat</c>, from the header's form: ends this session. The form token is checked
    /// here, since the endpoint binds no form field that would make the framework check it.
    /// </summary>
    public static void MapSignOut(this IEndpointRouteBuilder app) =>
        app.MapPost("/dang-xuat", async Task<Results<RedirectHttpResult, BadRequest<string>>> (HttpContext context, IAntiforgery antiforgery, SignInManager<AppUser> signIn, UserManager<AppUser> users, AuditLog audit) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return TypedResults.BadRequest("Phiên làm việc đã hết hạn. Vui lòng tải lại trang rồi thử lại.");
                }

                if (users.GetUserId(context.User) is { } id)
                {
                    await audit.RecordAsync(AuditKind.SignOut, Guid.Parse(id));
                }

                await signIn.SignOutAsync();
                return TypedResults.LocalRedirect("/");
            })
            .DisableAntiforgery()
            .ExcludeFromDescription();
}
