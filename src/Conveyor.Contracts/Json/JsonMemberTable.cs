using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Conveyor.Contracts.Json;

/// <summary>
/// The members of one wire type, each declared once with its name and its reader or writer: the only place a
/// hand-written codec learns a member. Lookups return the entry; its order is the order a writer writes in and,
/// for a reader, only a hint (members usually arrive in the order written, some left out).
/// </summary>
internal sealed class JsonMemberTable<TAccess>
    where TAccess : notnull
{
    private readonly JsonMember<TAccess>[] members;

    /// <param name="members">The members, in the order a writer writes them.</param>
    public JsonMemberTable(JsonMember<TAccess>[] members)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (!names.Add(member.Name))
            {
                throw new ArgumentException($"the member \"{member.Name}\" is declared twice", nameof(members));
            }
        }

        this.members = members;
    }

    /// <summary>The members in the order a writer writes them.</summary>
    public ReadOnlySpan<JsonMember<TAccess>> Members => members;

    /// <summary>
    /// The member named by the property name the reader is on, or null for a name the type does not have.
    /// <paramref name="next"/> (0 for a new object) is where the next member is looked for first: past the last one found.
    /// </summary>
    public JsonMember<TAccess>? Find(ref Utf8JsonReader reader, ref int next)
    {
        var name = PropertyName(ref reader);
        var key = JsonMember<TAccess>.KeyOf(name);
        for (var i = next; i < members.Length; i++)
        {
            if (Matches(members[i], name, key))
            {
                next = i + 1;
                return members[i];
            }
        }

        for (var i = 0; i < next && i < members.Length; i++)
        {
            if (Matches(members[i], name, key))
            {
                next = i + 1;
                return members[i];
            }
        }

        return null;
    }

    // A short name by its key, not a SequenceEqual call per name: that call was +4 % on a settle body (measured).
    private static bool Matches(JsonMember<TAccess> member, ReadOnlySpan<byte> name, ulong key) =>
        member.Length == name.Length && (name.Length <= 8 ? member.Key == key : name.SequenceEqual(member.Utf8));

    /// <summary>
    /// The current property name as UTF-8, unescaped if the body escaped it. As in the serializer, an escape that is
    /// not valid UTF-16 (a lone surrogate) is malformed, but bytes that are not valid UTF-8 are not: such a name
    /// matches no member (every member's name is ASCII), so it comes back empty and its value is skipped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // the common case inline; a method with a try is not inlined
    private static ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader) =>
        !reader.ValueIsEscaped && !reader.HasValueSequence ? reader.ValueSpan : UnescapedName(ref reader);

    private static ReadOnlySpan<byte> UnescapedName(ref Utf8JsonReader reader)
    {
        try
        {
            return Encoding.UTF8.GetBytes(reader.GetString()!);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            // The escapes were fine (they are resolved first); only transcoding the raw bytes failed.
            return default;
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException($"a property name: {ex.Message}", ex);
        }
    }
}
