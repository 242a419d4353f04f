using DichVuCong.Web.Common.Text;

namespace DichVuCong.Web.Modules.Catalog;

/// <summary>How far a procedure runs online (NĐ 42/2022): toàn trình, một phần, or information only.</summary>
internal enum OnlineLevel
{
    None = 0,
    Partial = 1,
    Full = 2,
}

internal static class OnlineLevels
{
    public static readonly OnlineLevel[] All = [OnlineLevel.Full, OnlineLevel.Partial, OnlineLevel.None];

    public static string Label(OnlineLevel level) => level switch
    {
        OnlineLevel.Full => "Toàn trình",
        OnlineLevel.Partial => "Một phần",
        _ => "Không trực tuyến",
    };

    public static string Slug(OnlineLevel level) => level switch
    {
        OnlineLevel.Full => "toan-trinh",
        OnlineLevel.Partial => "mot-phan",
        _ => "khong",
    };
}

/// <summary>An administrative procedure (thủ tục hành chính) of the national catalog.</summary>
internal sealed class Procedure
{
    public int Id { get; private set; }

    /// <summary>National code such as <c>1.001193</c>.</summary>
    public required string Code { get; init; }

    public required string Name { get; set; }

    public int FieldId { get; set; }

    public Field? Field { get; private set; }

    public OnlineLevel OnlineLevel { get; set; }

    /// <summary>The levels the procedure is carried out at today.</summary>
    public List<AgencyLevel> Levels { get; set; } = [];

    /// <summary>The decision that published it (quyết định công bố), e.g. 163/QĐ-BTP.</summary>
    public string? Decision { get; set; }

    /// <summary>Who carries it out, in the catalog's words (cơ quan thực hiện).</summary>
    public string? ImplementingBody { get; set; }

    /// <summary>Trình tự thực hiện, one step per item.</summary>
    public List<string> Steps { get; set; } = [];

    /// <summary>Đối tượng thực hiện.</summary>
    public string? Applicants { get; set; }

    /// <summary>Kết quả thực hiện.</summary>
    public string? Result { get; set; }

    /// <summary>Căn cứ pháp lý, one document per item.</summary>
    public List<string> LegalBasis { get; set; } = [];

    /// <summary>Yêu cầu, điều kiện thực hiện.</summary>
    public string? Conditions { get; set; }

    /// <summary>Shown on the home page among the most used procedures.</summary>
    public bool Featured { get; set; }

    public List<ProcedureChannel> Channels { get; private set; } = [];

    public List<DocumentComponent> Components { get; private set; } = [];

    public List<ProcedureAgency> Agencies { get; private set; } = [];

    /// <summary>The computable fee schedule, priced by <c>Fees.Compute</c>; empty when the channels' fee text is all there is.</summary>
    public List<FeeItem> Fees { get; private set; } = [];

    public DateTime UpdatedAt { get; set; }

    /// <summary>Folded name and code, for search that ignores case and diacritics.</summary>
    public string SearchName { get; private set; } = string.Empty;

    /// <summary>Folded body text (steps, components, result, applicants, conditions, legal basis).</summary>
    public string SearchBody { get; private set; } = string.Empty;

    /// <summary>Recomputes the folded search text; call after any change to the record.</summary>
    public void RefreshSearchText()
    {
        SearchName = VietnameseText.Fold($"{Code} {Name}");
        var body = string.Join(
            ' ',
            Steps.Concat(Components.Select(c => c.Name)).Concat(LegalBasis)
                .Append(Result).Append(Applicants).Append(Conditions).Append(ImplementingBody));
        SearchBody = VietnameseText.Fold(body);
    }
}

internal enum ChannelKind
{
    Direct = 1,
    Online = 2,
    Postal = 3,
}

internal static class ChannelKinds
{
    public static string Label(ChannelKind kind) => kind switch
    {
        ChannelKind.Direct => "Trực tiếp",
        ChannelKind.Online => "Trực tuyến",
        ChannelKind.Postal => "Dịch vụ bưu chính",
        _ => kind.ToString(),
    };
}

internal enum TimeLimitUnit
{
    /// <summary>Within the working day; received after 15:00 → the next working day.</summary>
    SameDay = 0,
    WorkingDays = 1,
    WorkingHours = 2,
    CalendarDays = 3,
}

/// <summary>A way to apply (cách thức thực hiện) with its own time limit and fee.</summary>
internal sealed class ProcedureChannel
{
    public int Id { get; private set; }

    public int ProcedureId { get; private set; }

    public ChannelKind Kind { get; set; }

    /// <summary>Time limit in the catalog's words, e.g. "20 ngày làm việc".</summary>
    public required string TimeLimitText { get; set; }

    /// <summary>Time limit as a number of <see cref="TimeLimitUnit"/>; null when the catalog gives none.</summary>
    public decimal? TimeLimit { get; set; }

    public TimeLimitUnit TimeLimitUnit { get; set; }

    /// <summary>Fee in the catalog's words, e.g. "Lệ phí: 8.000 đồng/bản".</summary>
    public required string FeeText { get; set; }

    /// <summary>Fee in VND when it is a fixed amount (0 = free); null when it depends on the case.</summary>
    public long? FeeAmount { get; set; }

    public string? Note { get; set; }
}

/// <summary>One document of a dossier (thành phần hồ sơ).</summary>
internal sealed class DocumentComponent
{
    public int Id { get; private set; }

    public int ProcedureId { get; private set; }

    public int SortOrder { get; set; }

    public required string Name { get; set; }

    /// <summary>Number of originals (bản chính).</summary>
    public int Originals { get; set; }

    /// <summary>Number of copies (bản sao).</summary>
    public int Copies { get; set; }

    public bool Required { get; set; } = true;

    public string? Note { get; set; }

    public int? TemplateId { get; set; }

    public FormTemplate? Template { get; set; }
}

/// <summary>A downloadable form (mẫu đơn, tờ khai), stored in the file store.</summary>
internal sealed class FormTemplate
{
    public int Id { get; private set; }

    /// <summary>Stable key, e.g. <c>to-khai-dang-ky-khai-sinh</c>.</summary>
    public required string Key { get; init; }

    public required string Title { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    /// <summary>Path of the file inside the file store.</summary>
    public required string StoragePath { get; set; }
}

/// <summary>An agency that carries out a procedure.</summary>
internal sealed class ProcedureAgency
{
    public int ProcedureId { get; set; }

    public int AgencyId { get; set; }

    public Agency? Agency { get; set; }
}
