using System.Text.Json;

namespace Conveyor.Server.Json;

/// <summary>
/// Reads one member's value, the token <paramref name="reader"/> is on, into <paramref name="into"/>;
/// <paramref name="body"/> is the whole body, for values kept as raw bytes.
/// </summary>
internal delegate void RequestMember<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref T into);
