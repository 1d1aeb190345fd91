using System.Text;
using System.Text.Json;

namespace Conveyor.Server.Tests.Json;

/// <summary>What a hand-written JSON writer writes, as text (the writer's structure checks on).</summary>
internal static class Written
{
    public static string Text(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
