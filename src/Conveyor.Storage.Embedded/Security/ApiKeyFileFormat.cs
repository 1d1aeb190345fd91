using System.Globalization;
using System.Text.Json;
using Conveyor.Core.Security;

namespace Conveyor.Storage.Embedded.Security;

/// <summary>
/// The <c>keys.json</c> file (docs/security.md): <c>{"version":1,"keys":[{"id","name","scopes":[...],"sha256",
/// "created_at","last_used_at"}]}</c>. Written and read by hand with the Utf8Json types: no reflection, so
/// trimming and Native AOT stay safe.
/// </summary>
internal static class ApiKeyFileFormat
{
    public const int Version = 1;

    public static byte[] Write(IReadOnlyList<ApiKey> keys)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteStartArray("keys");
            foreach (var key in keys)
            {
                json.WriteStartObject();
                json.WriteString("id", key.Id);
                json.WriteString("name", key.Name);
                json.WriteStartArray("scopes");
                foreach (var scope in ApiScopes.All.Where(s => (key.Scopes & s) != 0))
                {
                    json.WriteStringValue(scope.ToName());
                }

                json.WriteEndArray();
                json.WriteString("sha256", key.Hash);
                json.WriteString("created_at", key.CreatedAt);
                if (key.LastUsedAt is { } lastUsed)
                {
                    json.WriteString("last_used_at", lastUsed);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <exception cref="InvalidDataException">The file is not a keys file this version can read.</exception>
    public static List<ApiKey> Read(ReadOnlySpan<byte> bytes, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != Version)
            {
                throw new InvalidDataException($"'{path}' has keys file version {root.GetProperty("version")}; this server reads version {Version}");
            }

            var keys = new List<ApiKey>();
            foreach (var item in root.GetProperty("keys").EnumerateArray())
            {
                var scopes = ApiScope.None;
                foreach (var scope in item.GetProperty("scopes").EnumerateArray())
                {
                    scopes |= ApiScopes.TryParse(scope.GetString(), out var parsed) ? parsed : ApiScope.None;
                }

                keys.Add(new ApiKey(
                    item.GetProperty("id").GetString()!,
                    item.GetProperty("name").GetString()!,
                    scopes,
                    item.GetProperty("sha256").GetString()!,
                    item.GetProperty("created_at").GetDateTimeOffset(),
                    item.TryGetProperty("last_used_at", out var lastUsed) && lastUsed.ValueKind == JsonValueKind.String ? lastUsed.GetDateTimeOffset() : null));
            }

            return keys;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}' is not a readable keys file: {ex.Message}"), ex);
        }
    }
}
