namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>Online submission (dịch vụ công mức 3): drafts, e-forms, files, codes, and the citizen's dossiers.</summary>
internal static class DossiersModule
{
    public static IServiceCollection AddDossiers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DossierOptions>().Bind(configuration.GetSection(DossierOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<DossierCodes>();
        services.AddOptions<AttachFile.UploadOptions>().Bind(configuration.GetSection(AttachFile.UploadOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AttachFile.DossierUploads>();
        services.AddScoped<PersonalStore.PersonalDocuments>();
        services.AddSingleton<AttachFile.OrphanFileSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<AttachFile.OrphanFileSweeper>());
        return services;
    }
}

internal sealed class DossierOptions
{
    public const string SectionName = "Dossiers";

    /// <summary>The dossier code's pattern: {agency}, {date:yyMMdd} and {seq:0000} are replaced (SPEC §4).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public string CodePattern { get; set; } = "{agency}-{date:yyMMdd}-{seq:0000}";
}
