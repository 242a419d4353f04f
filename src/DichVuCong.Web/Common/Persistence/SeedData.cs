using System.Security.Cryptography;
using System.Text;
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

    /// <summary>A short hash of every seed file: when it is already recorded, nothing new can be seeded.</summary>
    public static string Fingerprint()
    {
        var assembly = typeof(SeedData).Assembly;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".SeedData.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            hash.AppendData(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    public static T Read<T>(string name)
    {
        var assembly = typeof(SeedData).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".SeedData." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InvalidOperationException($"Seed file {name} is empty.");
    }
}
