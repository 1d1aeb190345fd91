using System.Globalization;
using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.State;

public sealed class JobKeyTests
{
    private const string SomeUlid = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

    public static TheoryData<string> Ids => new()
    {
        SomeUlid,
        "00000000000000000000000000",
        "7ZZZZZZZZZZZZZZZZZZZZZZZZZ",
        "01arz3ndektsv4rrffq69g5fav",
        "81ARZ3NDEKTSV4RRFFQ69G5FAV",
        "order-42",
        "b1946ac92492d2347c6235b4d2611184", // a Faktory client's jid
        "ünïcode-id",
        "",
        new string('x', 200), // longer than one length byte
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void Of_AnyId_GivesTheSameStringBack(string id)
    {
        var key = JobKey.Of(id);

        Assert.Equal(id, key.ToString());
        Assert.True(key.Is(id));
        Assert.Equal(key, JobKey.Of(new string(id.AsSpan())));
        Assert.Equal(key.GetHashCode(), JobKey.Of(new string(id.AsSpan())).GetHashCode());
    }

    /// <summary>Every id a job can have: ids are 1–64 characters, never empty.</summary>
    public static TheoryData<string> NonEmptyIds => [.. Ids.Select(row => row.Data).Where(id => id.Length > 0)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void TryOfUlid_AnyIdAsUtf8_TheKeyOfItsTextExactlyWhenAUlid(string id)
    {
        var isUlid = JobKey.TryOfUlid(System.Text.Encoding.UTF8.GetBytes(id), out var key);

        Assert.Equal(JobKey.Of(id).TryGetUlid(out _), isUlid);
        if (isUlid)
        {
            Assert.Equal(JobKey.Of(id), key);
        }
    }

    [Theory]
    [MemberData(nameof(NonEmptyIds))]
    public void WriteKey_AnyId_ReadsBackAsTheSameKeyAndString(string id)
    {
        using var asKey = new PendingBuffer();
        new PayloadWriter(asKey).WriteKey(JobKey.Of(id));

        AssertReadsAs(asKey.WrittenSpan, id);
    }

    [Fact]
    public void WriteKey_EmptyId_Refused()
    {
        // No job has an empty id; its zero length byte would read as the value tag.
        using var asKey = new PendingBuffer();
        Assert.Throws<InvalidOperationException>(() => new PayloadWriter(asKey).WriteKey(JobKey.Of("")));
    }

    [Theory]
    [MemberData(nameof(NonEmptyIds))]
    public void WriteKey_UlidAsTagAnd16BytesOtherIdsAsTheirString(string id)
    {
        var key = JobKey.Of(id);
        var expected = key.TryGetUlid(out var value) ? "00" + value.ToString("X32", CultureInfo.InvariantCulture) : Hex(w => w.WriteString(id));

        Assert.Equal(expected, Hex(w => w.WriteKey(key)));
    }

    [Fact]
    public void WriteKey_SomeUlid_GoldenBytes() =>
        Assert.Equal("0001563E3AB5D3D6764C61EFB99302BD5B", Hex(w => w.WriteKey(JobKey.Of(SomeUlid))));

    [Theory]
    [MemberData(nameof(NonEmptyIds))]
    public void ReadKey_IdAsVersion2WroteIt_TheStringOfItsText_ReadsAsTheSameKey(string id) =>
        AssertReadsAs(Convert.FromHexString(Hex(w => w.WriteString(id))), id);

    [Theory]
    [InlineData("00")]
    [InlineData("000102030405060708090A0B0C0D0E0F")]
    public void ReadKey_ValueTagWithFewerThan16Bytes_IsCorrupt(string hex) =>
        Assert.Throws<InvalidDataException>(() => new PayloadReader(Convert.FromHexString(hex)).ReadKey());

    [Fact]
    public void Equality_UlidAndItsLowerCase_AreDifferentIds()
    {
        var upper = JobKey.Of(SomeUlid);
        var lower = JobKey.Of(SomeUlid.ToLowerInvariant());

        Assert.NotEqual(upper, lower);
        Assert.False(upper.Is(SomeUlid.ToLowerInvariant()));
        Assert.False(lower.Is(SomeUlid));
    }

    [Fact]
    public void FromValue_EqualsTheKeyOfItsText()
    {
        var value = JobIdGenerator.NewValue(DateTimeOffset.UnixEpoch.AddYears(56));

        Assert.Equal(JobKey.Of(Ulid.Format(value)), JobKey.FromValue(value));
        Assert.True(JobKey.FromValue(value).Is(Ulid.Format(value)));
        Assert.False(JobKey.FromValue(value).Is(Ulid.Format(value + 1)));
    }

    [Fact]
    public void HashCode_IdsMadeInOneMillisecond_AreNeighbours()
    {
        var at = DateTimeOffset.UnixEpoch.AddYears(56);
        var first = JobIdGenerator.NewValue(at) & ~(UInt128)0xFF;

        for (var i = 1; i < 256; i++)
        {
            Assert.Equal(JobKey.FromValue(first).GetHashCode() + i, JobKey.FromValue(first + (UInt128)i).GetHashCode());
        }
    }

    [Fact]
    public void HashCode_ValuesChosenToCollide_DoNotCollide()
    {
        // Values a client could choose: the same low bits under different high bits, and groups of 256 one after another.
        var sameLowBits = Enumerable.Range(0, 50_000).Select(i => JobKey.FromValue(((UInt128)(ulong)i << 64) | 0xAB).GetHashCode());
        var groupAfterGroup = Enumerable.Range(0, 50_000).Select(i => JobKey.FromValue((UInt128)(ulong)i << 8).GetHashCode());

        Assert.InRange(sameLowBits.Distinct().Count(), 49_900, 50_000);
        Assert.InRange(groupAfterGroup.Distinct().Count(), 49_900, 50_000);
        Assert.InRange(groupAfterGroup.Zip(groupAfterGroup.Skip(1), (a, b) => b - a).Distinct().Count(), 49_000, 50_000);
    }

    private static string Hex(Action<PayloadWriter> write)
    {
        using var buffer = new PendingBuffer();
        write(new PayloadWriter(buffer));
        return Convert.ToHexString(buffer.WrittenSpan);
    }

    /// <summary>The bytes hold exactly one key, the key of <paramref name="id"/>, whose text is <paramref name="id"/>.</summary>
    private static void AssertReadsAs(ReadOnlySpan<byte> bytes, string id)
    {
        var reader = new PayloadReader(bytes);
        var read = reader.ReadKey();

        Assert.True(reader.End);
        Assert.Equal(JobKey.Of(id), read);
        Assert.Equal(id, read.ToString());
    }
}
