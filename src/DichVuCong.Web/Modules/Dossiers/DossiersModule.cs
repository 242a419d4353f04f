using DichVuCong.Web.Modules.Dossiers.EForms;
using DichVuCong.Web.Modules.Dossiers.ExpireDrafts;
using DichVuCong.Web.Modules.Dossiers.LookUpDossier;
using DichVuCong.Web.Modules.Dossiers.MyDossiers;
using DichVuCong.Web.Modules.Dossiers.SubmitDossier;

namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>Online submission (dịch vụ công mức 3): drafts, e-forms, files, codes, and the citizen's dossiers.</summary>
internal static class DossiersModule
{
    public static IServiceCollection AddDossiers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DossierOptions>().Bind(configuration.GetSection(DossierOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<DossierCodes>();
        services.AddScoped<SubmitDossier.DossierSubmission>();
        services.AddScoped<SubmitDossier.CatalogNames>();

        // Read and checked here, so a broken e-form definition stops the portal at start with its file and field named.
        services.AddSingleton(EFormRegistry.LoadEmbedded());
        services.AddSingleton<EFormAnswers>();
        services.AddOptions<AttachFile.UploadOptions>().Bind(configuration.GetSection(AttachFile.UploadOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AttachFile.DossierUploads>();
        services.AddScoped<IDossierFiles>(sp => sp.GetRequiredService<AttachFile.DossierUploads>());
        services.AddScoped<PersonalStore.PersonalDocuments>();
        services.AddScoped<IPersonalStore>(sp => sp.GetRequiredService<PersonalStore.PersonalDocuments>());
        services.AddSingleton<AttachFile.OrphanFileSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<AttachFile.OrphanFileSweeper>());
        services.AddDraftExpiry(configuration);
        services.AddSmsLookup(configuration);
        services.AddOptions<LookUpDossier.LookupOptions>().Bind(configuration.GetSection(LookUpDossier.LookupOptions.SectionName));
        services.AddSingleton<LookUpDossier.LookupHasher>();
        services.AddScoped<LookUpDossier.LookupChallenges>();
        return services;
    }

    public static void MapDossiers(this IEndpointRouteBuilder api)
    {
        api.MapViewEForm();
        api.MapSubmitDossier();
        api.MapMyDossiers();
        LookUpDossier.DossierLookup.MapLookup(api);
        api.MapSmsLookup();
    }

    /// <summary>Routes outside the API: the person's own file downloads.</summary>
    public static void MapDossierFiles(this IEndpointRouteBuilder app)
    {
        app.MapDownloads();
    }
}

internal sealed class DossierOptions
{
    public const string SectionName = "Dossiers";

    /// <summary>The dossier code's pattern: {agency}, {date:yyMMdd} and {seq:0000} are replaced (SPEC §4).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public string CodePattern { get; set; } = "{agency}-{date:yyMMdd}-{seq:0000}";
}

/// <summary>Loads a dossier for the signed-in owner; another person's dossier is simply not found.</summary>
internal static class DossierAccess
{
    public static Guid? OwnerId(System.Security.Claims.ClaimsPrincipal user) => Accounts.UserClaims.Id(user);

    public static IQueryable<Dossier> OwnedBy(this IQueryable<Dossier> dossiers, System.Security.Claims.ClaimsPrincipal user)
    {
        var owner = OwnerId(user) ?? Guid.Empty;
        return dossiers.Where(d => d.OwnerId == owner);
    }
}
