using System.Text.Json;
using System.Text.Json.Serialization;

namespace DichVuCong.Web.Common.Persistence;

/// <summary>Reads a module's demo-data file, embedded from its SeedData/ folder.</summary>
internal static class SeedData
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static T Read<T>(string name)
    {
        var assembly = typeof(SeedData).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".SeedData." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InvalidOperationException($"Seed file {name} is empty.");
    }
}
