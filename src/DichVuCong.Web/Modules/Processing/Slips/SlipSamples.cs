using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>
/// Sample slips for people to look at (<c>/can-bo/mau-phieu</c>) and for the tests: a fictional citizen,
/// a real seeded agency and procedure, dates on the right side of 15/9/2025 for each regime.
/// </summary>
internal static class SlipSamples
{
    /// <summary>What the samples take from the catalog.</summary>
    internal sealed record Source(SlipAgency Desk, string DeskCode, string HandlingAgency, string ProcedureName, string ProcedureCode, IReadOnlyList<SlipDocument> Documents)
    {
        public string? TimeLimit { get; init; }

        public string? Fee { get; init; }
    }

    /// <summary>The seeded provincial service centre receiving a construction permit handled by Sở Xây dựng.</summary>
    public static readonly Source Seeded = new(
        new SlipAgency("Ủy ban nhân dân tỉnh Nam Hà", "Trung tâm Phục vụ hành chính công tỉnh Nam Hà", "Nam Hà"),
        "000.00.20.H99",
        "Sở Xây dựng tỉnh Nam Hà",
        "Cấp giấy phép xây dựng mới công trình cấp đặc biệt, cấp I, cấp II",
        "1.013236",
        [
            new("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01 Phụ lục II Nghị định số 175/2024/NĐ-CP)", "Bản chính", 1),
            new("Quyết định phê duyệt dự án hoặc văn bản chấp thuận chủ trương đầu tư", "Bản sao", 1),
            new("Bản vẽ thiết kế xây dựng triển khai sau thiết kế cơ sở", "Bản chính", 2),
        ])
    {
        TimeLimit = "20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
        Fee = "150.000 đồng/giấy phép",
    };

    /// <summary>The same picture from this portal's catalog, falling back on what exists when the seeded rows are not there.</summary>
    public static async Task<Source> FromCatalogAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var desk = await db.Agencies.AsNoTracking().Include(a => a.Parent).FirstOrDefaultAsync(a => a.Code == Seeded.DeskCode, cancellationToken)
            ?? await db.Agencies.AsNoTracking().Include(a => a.Parent).OrderBy(a => a.Code).FirstOrDefaultAsync(a => a.ReceivesDossiers, cancellationToken);
        var procedure = await db.Procedures.AsNoTracking().Include(p => p.Components).Include(p => p.Channels)
            .FirstOrDefaultAsync(p => p.Code == Seeded.ProcedureCode, cancellationToken)
            ?? await db.Procedures.AsNoTracking().Include(p => p.Components).Include(p => p.Channels).OrderBy(p => p.Code).FirstOrDefaultAsync(cancellationToken);
        if (desk is null || procedure is null)
        {
            return Seeded;
        }

        var handling = await db.Set<ProcedureAgency>().Where(l => l.ProcedureId == procedure.Id)
            .Join(db.Agencies, l => l.AgencyId, a => a.Id, (_, a) => a.Name).FirstOrDefaultAsync(cancellationToken);
        var channel = procedure.Channels.FirstOrDefault(c => c.Kind == ChannelKind.Direct) ?? procedure.Channels.FirstOrDefault();
        var place = (desk.Parent?.Name ?? desk.Name).Split(["tỉnh ", "thành phố "], StringSplitOptions.None)[^1];
        return new Source(
            new SlipAgency(desk.Parent?.Name ?? string.Empty, desk.Name, place),
            desk.Code,
            handling ?? desk.Name,
            procedure.Name,
            procedure.Code,
            [.. procedure.Components.OrderBy(c => c.SortOrder).Where(c => c.Required).Take(4)
                .Select(c => new SlipDocument(c.Name, c.Originals > 0 ? "Bản chính" : "Bản sao", Math.Max(1, c.Originals + c.Copies)))])
        {
            TimeLimit = channel?.TimeLimitText,
            Fee = channel?.FeeText,
        };
    }

    /// <summary>The day the sample dossier was received under each regime.</summary>
    public static DateTime ReceivedAt(Regime regime) => regime == Regime.Tt01Of2018 ? Utc(2025, 9, 10, 9, 15) : Utc(2025, 10, 20, 14, 5);

    public static string DossierCode(Source source, Regime regime) =>
        $"{source.DeskCode}-{VietnamTime.ToLocal(ReceivedAt(regime)):yyMMdd}-{(regime == Regime.Tt01Of2018 ? "0012" : "0007")}";

    public static SlipData Slip(Source source, Regime regime, Func<string, string> lookupUrl)
    {
        var received = ReceivedAt(regime);
        var due = received.AddDays(28);
        var code = DossierCode(source, regime);
        var desk = source.Desk.Name;
        return new SlipData
        {
            Agency = source.Desk,
            Number = regime == Regime.Tt01Of2018 ? "1275" : "0318",
            IssuedOn = DateOnly.FromDateTime(VietnamTime.ToLocal(received)),
            DossierCode = code,
            ProcedureName = source.ProcedureName,
            ProcedureCode = source.ProcedureCode,
            Applicant = new SlipApplicant("Trần Thị Bích Ngọc")
            {
                CitizenId = "036190012345",
                Address = "Số 12 ngõ 45 đường Hàn Thuyên, phường Trần Hưng Đạo, tỉnh Nam Hà",
                Phone = "0912 345 678",
                Email = "bichngoc.tran@example.vn",
            },
            ReceivedAt = received,
            DueAt = due,
            TimeLimit = source.TimeLimit,
            Fee = source.Fee,
            ResultDelivery = $"{desk} (trả trực tiếp)",
            Documents = source.Documents,
            MissingItems =
            [
                new("Bản vẽ mặt bằng vị trí công trình trên lô đất, tỉ lệ 1/500, có chữ ký của chủ nhiệm thiết kế"),
                new("Văn bản thẩm duyệt thiết kế về phòng cháy và chữa cháy"),
            ],
            Reason = "Hồ sơ thiếu thành phần theo quy định; bản vẽ kèm theo chưa có chữ ký, đóng dấu của đơn vị thiết kế.",
            NewDueAt = due.AddDays(7),
            HandlingAgency = source.HandlingAgency,
            CoordinatingAgencies = "Công an tỉnh Nam Hà (Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ)",
            Steps =
            [
                new SlipStep("Tiếp nhận hồ sơ", desk, source.HandlingAgency, received.AddHours(2)) { DueAt = received.AddHours(8), Timeliness = StepTimeliness.Early, GiverName = "Nguyễn Văn Tiếp", ReceiverName = "Lê Thu Hà" },
                new SlipStep("Thẩm định hồ sơ", source.HandlingAgency, "Lãnh đạo " + source.HandlingAgency, received.AddDays(15)) { DueAt = received.AddDays(16), Timeliness = StepTimeliness.OnTime, GiverName = "Lê Thu Hà", ReceiverName = "Phạm Quốc Hưng" },
                new SlipStep("Phê duyệt kết quả", "Lãnh đạo " + source.HandlingAgency, desk, received.AddDays(27)) { DueAt = received.AddDays(25), Timeliness = StepTimeliness.Late, GiverName = "Phạm Quốc Hưng", ReceiverName = "Nguyễn Văn Tiếp", Note = "Chờ ý kiến cơ quan phối hợp" },
            ],
            OfficerName = "Nguyễn Văn Tiếp",
            OfficerPhone = "0228 3 841 888",
            SignerName = "Phạm Quốc Hưng",
            SignerTitle = "Giám đốc",
            RegisterBook = "03/2025",
            RegisterEntry = regime == Regime.Tt01Of2018 ? "1275" : "0318",
            LookupUrl = lookupUrl(code),
        };
    }

    /// <summary>A week of the register around the sample day.</summary>
    public static RegisterData Register(Source source, Regime regime)
    {
        var first = ReceivedAt(regime);
        string[] names = ["Trần Thị Bích Ngọc", "Công ty TNHH Xây dựng Hồng Phong", "Nguyễn Đức Mạnh", "Đỗ Thị Lan Anh", "Vũ Hoàng Long"];
        var rows = names.Select((name, i) =>
        {
            var received = first.AddDays(i).AddMinutes(37 * i);
            return new RegisterRow($"{source.DeskCode}-{VietnamTime.ToLocal(received):yyMMdd}-{i + 1:0000}", source.ProcedureName, name, received)
            {
                ApplicantContact = $"Phường Trần Hưng Đạo, tỉnh Nam Hà; 09{i + 1}2 345 678",
                HandlingAgency = source.HandlingAgency,
                DueAt = received.AddDays(28),
                ReturnedAt = i < 2 ? received.AddDays(26 + i) : null,
                ResultDelivery = i % 2 == 0 ? "Trực tiếp" : "Bưu chính công ích",
            };
        }).ToList();
        var from = DateOnly.FromDateTime(VietnamTime.ToLocal(first));
        return new RegisterData(source.Desk, from, from.AddDays(6), rows) { Book = "03/2025", IssuedOn = from.AddDays(7) };
    }

    private static DateTime Utc(int year, int month, int day, int hour, int minute) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-7);
}
