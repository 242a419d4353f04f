namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>Checked file storage for a dossier, for other modules (an officer's result or attachment).</summary>
internal interface IDossierFiles
{
    /// <summary>
    /// Checks the file (type by content, size limits), writes its bytes and adds its row to the context without
    /// saving, so it is saved with the caller's change; if that save fails the stray bytes go to the orphan sweeper.
    /// </summary>
    Task<(DossierFile? File, string? Error)> StageAsync(Dossier dossier, DossierFileKind kind, string fileName, Stream content, CancellationToken cancellationToken);
}
