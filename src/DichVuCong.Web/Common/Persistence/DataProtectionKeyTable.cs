using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace DichVuCong.Web.Common.Persistence;

/// <summary>
/// The data-protection key ring (it signs cookies, tokens and codes) in the <c>DataProtectionKeys</c> table, so every
/// instance shares it. Plain statements rather than EF's <c>PersistKeysToDbContext</c>: the key ring is loaded while
/// the host starts, and through the DbContext that meant building the whole data model before the portal could
/// listen (ADR 0019). Same table and columns as EF's <c>DataProtectionKey</c>, which the migrations keep creating.
/// </summary>
internal sealed class DataProtectionKeyTable(DatabaseOptions settings) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = PersistenceModule.OpenPlainConnection(settings);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Xml\" FROM \"DataProtectionKeys\" ORDER BY \"Id\"";
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            if (!reader.IsDBNull(0))
            {
                keys.Add(XElement.Parse(reader.GetString(0)));
            }
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = PersistenceModule.OpenPlainConnection(settings);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO \"DataProtectionKeys\" (\"FriendlyName\", \"Xml\") VALUES (@name, @xml)";
        Add(command, "@name", friendlyName);
        Add(command, "@xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
