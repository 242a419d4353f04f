using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Notifications;
using DichVuCong.Web.Modules.Payments;
using DichVuCong.Web.Modules.Processing;
using DichVuCong.Web.Modules.Reporting;

var builder = WebApplication.CreateBuilder(args);

// Serve the build's pre-compressed static files when run from source in any environment, not only
// Development (a published portal has them in wwwroot, and this is then a no-op).
builder.WebHost.UseStaticWebAssets();

builder.Services
    .AddWeb(builder.Configuration)
    .AddPersistence(builder.Configuration, builder.Environment)
    .AddStorage(builder.Configuration)
    .AddCatalog()
    .AddAccounts(builder.Configuration)
    .AddProcessing(builder.Configuration)
    .AddDossiers(builder.Configuration)
    .AddNotifications(builder.Configuration)
    .AddPayments(builder.Configuration)
    .AddReporting();

var app = builder.Build();

app.UseWeb();
app.MapStaticAssets();
app.UseVisitorCounter();
app.UseRouting();
app.UseAuthentication();
app.UseTokenRevocation();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();
app.UseOutputCache();

var api = app.MapGroup("/api/v1").WithTags("DichVuCong");
app.MapCatalog(api);
app.MapAccounts(api);
api.MapDossiers();
app.MapProcessing(api);
app.MapDossierFiles();
api.MapNotifications();
app.MapPayments(api);
app.MapOpenApi();
app.MapHealthChecks("/health");
app.MapRazorPages().WithStaticAssets();

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
}

await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
