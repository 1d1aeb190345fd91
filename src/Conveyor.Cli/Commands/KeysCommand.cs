using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Conveyor.Core.Security;
using Conveyor.Storage.Embedded.Security;

namespace Conveyor.Cli.Commands;

/// <summary>
/// <c>conveyor keys create|list|revoke</c>: API keys, offline on the data directory (also while a server runs
/// on it; the server picks changes up within a second). See docs/security.md.
/// </summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "Create, list and revoke API keys (offline, on the data directory)")
    {
        CreateKey(),
        ListKeys(),
        RevokeKey(),
    };

    private static Option<string> DataOption() => EnvironmentOption.Text("--data", "The data directory", "./conveyor-data");

    private static Command CreateKey()
    {
        var data = DataOption();
        var name = new Option<string>("--name") { Description = "A unique name for the key (letters, digits, '.', '_', '-')", Required = true };
        var scope = new Option<string>("--scope") { Description = "Comma-separated scopes: read, produce, work, admin (admin holds all)", Required = true };
        var command = new Command("create", "Create a key and print it once (stdout); only its hash is stored") { name, scope, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var keyName = parse.GetValue(name)!;
            if (keyName.Length is 0 or > 64 || !keyName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                await error.WriteLineAsync($"conveyor keys create: the name must be 1-64 letters, digits, '.', '_' or '-', not '{keyName}'").ConfigureAwait(false);
                return 1;
            }

            if (!ApiScopes.TryParse(parse.GetValue(scope), out var scopes))
            {
                await error.WriteLineAsync($"conveyor keys create: --scope must list some of read, produce, work, admin, not '{parse.GetValue(scope)}'").ConfigureAwait(false);
                return 1;
            }

            var secret = ApiKeySecret.NewKey();
            var key = new ApiKey(ApiKeySecret.IdOf(secret), keyName, scopes, ApiKeySecret.Hash(secret), TimeProvider.System.GetUtcNow(), null);
            if (!await new FileApiKeyStore(parse.GetValue(data)!).TryAddAsync(key, cancellationToken).ConfigureAwait(false))
            {
                await error.WriteLineAsync($"conveyor keys create: a key named '{keyName}' exists; revoke it first or pick another name").ConfigureAwait(false);
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync(secret).ConfigureAwait(false);
            await error.WriteLineAsync(
                $"Created key '{keyName}' (id {key.Id}, scopes {ApiScopes.Format(scopes)}). It is shown only this once: store it now. " +
                "Clients send it as Authorization: Bearer KEY; the SDK and CLI read CONVEYOR_API_KEY.").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command ListKeys()
    {
        var data = DataOption();
        var json = new Option<bool>("--json") { Description = "Print the keys as JSON (never the key itself)" };
        var command = new Command("list", "List the keys: id, name, scopes, created, last used (never the key)") { data, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var keys = await new FileApiKeyStore(parse.GetValue(data)!).ListAsync(cancellationToken).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(KeysJson(keys)).ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync(Row("ID", "NAME", "SCOPES", "CREATED", "LAST USED")).ConfigureAwait(false);
            foreach (var key in keys)
            {
                await output.WriteLineAsync(Row(key.Id, key.Name, ApiScopes.Format(key.Scopes), Time(key.CreatedAt), key.LastUsedAt is { } used ? Time(used) : "never")).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static Command RevokeKey()
    {
        var data = DataOption();
        var which = new Argument<string>("name-or-id") { Description = "The key's name or id" };
        var command = new Command("revoke", "Delete a key; a running server refuses it within a second") { which, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var revoked = await new FileApiKeyStore(parse.GetValue(data)!).RevokeAsync(parse.GetValue(which)!, cancellationToken).ConfigureAwait(false);
            if (revoked is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"conveyor keys revoke: no key is named or has id '{parse.GetValue(which)}'").ConfigureAwait(false);
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"Revoked key '{revoked.Name}' ({revoked.Id})").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>The listing as an indented JSON array; the hash stays in the file, like the key itself.</summary>
    private static string KeysJson(IReadOnlyList<ApiKey> keys)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var key in keys)
            {
                writer.WriteStartObject();
                writer.WriteString("id", key.Id);
                writer.WriteString("name", key.Name);
                writer.WriteStartArray("scopes");
                foreach (var scope in ApiScopes.Format(key.Scopes).Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    writer.WriteStringValue(scope);
                }

                writer.WriteEndArray();
                writer.WriteString("created_at", key.CreatedAt);
                if (key.LastUsedAt is { } used)
                {
                    writer.WriteString("last_used_at", used);
                }
                else
                {
                    writer.WriteNull("last_used_at");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Row(string id, string name, string scopes, string created, string lastUsed) =>
        $"{id,-14} {name,-20} {scopes,-24} {created,-20} {lastUsed}";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ssZ", CultureInfo.InvariantCulture);
}
