using System.IO.Compression;
using System.Text;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Dossiers;

/// <summary>Small real files of each kind, and things dressed up as them.</summary>
internal static class SampleFiles
{
    public static byte[] Pdf(int size = 0)
    {
        var text = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        var bytes = Encoding.ASCII.GetBytes(text);
        if (size > bytes.Length)
        {
            // Pad with a PDF comment line up to the wanted size.
            var padded = new byte[size];
            bytes.CopyTo(padded, 0);
            padded.AsSpan(bytes.Length).Fill((byte)'%');
            return padded;
        }

        return bytes;
    }

    /// <summary>A 1×1 PNG.</summary>
    public static byte[] Png() => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>A JFIF header and end of image.</summary>
    public static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    public static byte[] Docx()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(new Paragraph(new Run(new Text("Đơn đề nghị")))));
            main.Document.Save();
        }

        return stream.ToArray();
    }

    /// <summary>A ZIP that is not a Word document.</summary>
    public static byte[] Zip()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(zip.CreateEntry("ghi-chu.txt").Open());
            entry.Write("không phải tài liệu Word");
        }

        return stream.ToArray();
    }

    /// <summary>The start of a Windows executable.</summary>
    public static byte[] Exe()
    {
        var bytes = new byte[256];
        bytes[0] = (byte)'M';
        bytes[1] = (byte)'Z';
        bytes[2] = 0x90;
        Encoding.ASCII.GetBytes("This program cannot be run in DOS mode.").CopyTo(bytes, 78);
        return bytes;
    }
}

/// <summary>A citizen with a draft for a seeded procedure that has document components.</summary>
internal sealed record DraftSetup(Guid OwnerId, Guid DossierId, int[] ComponentIds, string[] ComponentNames, int OtherProcedureComponentId)
{
    public static async Task<Guid> NewCitizenAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var name = "upload-" + Guid.NewGuid().ToString("N")[..12];
        var user = new AppUser { UserName = name, Email = name + "@example.vn", EmailConfirmed = true, FullName = "Trần Thị Tệp", Kind = AccountKind.Citizen, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        return user.Id;
    }

    public static async Task<DraftSetup> CreateAsync(IServiceProvider services, Guid? ownerId = null)
    {
        var owner = ownerId ?? await NewCitizenAsync(services);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var procedures = await db.Procedures.AsNoTracking().Include(p => p.Components).Include(p => p.Agencies)
            .Where(p => p.Components.Count >= 2 && p.Agencies.Any()).OrderBy(p => p.Id).Take(2).ToListAsync();
        var procedure = procedures[0];
        var draft = Dossier.StartDraft(owner, procedure.Id, procedure.Agencies[0].AgencyId, DateTime.UtcNow);
        db.Dossiers.Add(draft);
        await db.SaveChangesAsync();
        var components = procedure.Components.OrderBy(c => c.Id).ToArray();
        return new DraftSetup(owner, draft.Id, [.. components.Select(c => c.Id)], [.. components.Select(c => c.Name)], procedures[1].Components[0].Id);
    }
}

/// <summary>Runs a piece of work in its own scope against the draft as loaded there.</summary>
internal static class Scoped
{
    public static async Task<T> WithDraftAsync<T>(IServiceProvider services, Guid dossierId, Func<IServiceProvider, Dossier, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        var draft = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Dossiers.Include(d => d.Files).SingleAsync(d => d.Id == dossierId);
        return await work(scope.ServiceProvider, draft);
    }

    public static byte[] ReadAll(Stream? stream)
    {
        Assert.NotNull(stream);
        using (stream)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
