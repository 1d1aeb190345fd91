using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Dashboard;

/// <summary>
/// The dashboard's files, embedded in the server assembly (<c>Dashboard/wwwroot</c>, resource names
/// <c>dashboard/NAME</c>) and read once. Each answer carries a strong ETag from a hash of the bytes, so a reload
/// revalidates with a 304; the page's CSP lets it load its own script, style and images and nothing else.
/// </summary>
internal sealed class DashboardAssets
{
    /// <summary>Scripts, styles, images and API calls from this origin only; no inline script or style, no framing, no plugins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string Prefix = "dashboard/";

    private readonly Dictionary<string, DashboardAsset> assets = new(StringComparer.Ordinal);

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            var content = Read(assembly, resource);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16)) + "\"";
            assets[name] = new DashboardAsset(name, content, ContentTypeOf(name), etag);
        }
    }

    public IReadOnlyCollection<string> Names => assets.Keys;

    /// <summary>Answers the file <paramref name="name"/>: 200 with it, 304 when the browser has it, 404 when there is none.</summary>
    public IResult Serve(HttpContext context, string name)
    {
        if (!assets.TryGetValue(name, out var asset))
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache"; // revalidate each time: the names carry no version
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        foreach (var tag in context.Request.Headers.IfNoneMatch)
        {
            if (tag is not null && tag.Split(',').Any(t => t.Trim() == asset.ETag || t.Trim() == "*"))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
