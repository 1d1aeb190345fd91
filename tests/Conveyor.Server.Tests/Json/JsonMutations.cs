using System.Text;
using System.Text.Json;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// For the request readers' parity tests: bodies the serializer wrote, broken the ways a client or a network
/// breaks them (truncated, a byte changed, removed or inserted, a value swapped), and one read's outcome.
/// </summary>
internal static class JsonMutations
{
    private const string Noise = "{}[],:\"0a-.e \\n\u00C1\u00FF";

    private static readonly string[] Values = ["1e400", "\"5\"", "5.5", "true", "[]", "{}", "null", "-1", "99999999999999999999", "\"2026-13-01\""];

    /// <summary>The body unchanged (one time in six) or mutated once; <paramref name="values"/> are what a swap puts after a colon.</summary>
    public static byte[] Mutate(byte[] body, Random random, IReadOnlyList<string>? values = null)
    {
        values ??= Values;
        var bytes = body.ToList();
        switch (random.Next(6))
        {
            case 0:
                return body;
            case 1:
                return body[..random.Next(body.Length)];
            case 2:
                bytes[random.Next(bytes.Count)] = (byte)Noise[random.Next(Noise.Length)];
                return [.. bytes];
            case 3:
                bytes.RemoveAt(random.Next(bytes.Count));
                return [.. bytes];
            case 4:
                bytes.Insert(random.Next(bytes.Count), (byte)Noise[random.Next(Noise.Length)]);
                return [.. bytes];
            default:
                var text = Encoding.UTF8.GetString(body);
                var at = text.IndexOf(':', random.Next(text.Length));
                if (at < 0)
                {
                    return body;
                }

                var end = text.IndexOfAny([',', '}'], at);
                return Encoding.UTF8.GetBytes(text[..(at + 1)] + values[random.Next(values.Count)] + (end < 0 ? string.Empty : text[end..]));
        }
    }

    /// <summary>What <paramref name="read"/> returned, or the message of the <see cref="JsonException"/> it threw; any other exception escapes.</summary>
    public static (bool Ok, T? Value, string? Error) Try<T>(Func<T> read)
    {
        try
        {
            return (true, read(), null);
        }
        catch (JsonException ex)
        {
            return (false, default, ex.Message);
        }
    }
}
