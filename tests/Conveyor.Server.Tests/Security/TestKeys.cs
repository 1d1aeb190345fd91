using Conveyor.Core.Security;
using Conveyor.Storage.Embedded.Security;

namespace Conveyor.Server.Tests.Security;

/// <summary>Creates API keys in a data directory, as <c>conveyor keys create</c> does.</summary>
internal static class TestKeys
{
    public static string Add(string dataDirectory, string name, ApiScope scopes)
    {
        var secret = ApiKeySecret.NewKey();
        var key = new ApiKey(ApiKeySecret.IdOf(secret), name, scopes, ApiKeySecret.Hash(secret), DateTimeOffset.UtcNow, null);
        Assert.True(new FileApiKeyStore(dataDirectory).TryAddAsync(key).AsTask().GetAwaiter().GetResult());
        return secret;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? key, string? jsonBody = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get)
        {
            request.Content = jsonBody is null ? ApiClient.EmptyJson() : new StringContent(jsonBody, System.Text.Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        return request;
    }
}
