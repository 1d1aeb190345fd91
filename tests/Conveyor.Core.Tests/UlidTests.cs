using System.Text;
using Conveyor.Core.Jobs;
using Xunit;

namespace Conveyor.Core.Tests;

public sealed class UlidTests
{
    [Fact]
    public void FormatThenParse_RandomValues_RoundTripInBothEncodings()
    {
        var random = new Random(128);
        Span<byte> bytes = stackalloc byte[16];
        Span<byte> utf8 = stackalloc byte[Ulid.Length];
        UInt128[] edges = [UInt128.Zero, UInt128.One, UInt128.MaxValue, UInt128.MaxValue - 1, (UInt128)ulong.MaxValue];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(bytes);
            var value = i < edges.Length ? edges[i] : System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes);

            var text = Ulid.Format(value);
            Ulid.FormatUtf8(value, utf8);

            Assert.Equal(Ulid.Length, text.Length);
            Assert.Equal(text, Encoding.ASCII.GetString(utf8));
            Assert.True(Ulid.TryParse(text, out var parsed));
            Assert.Equal(value, parsed);
            Assert.True(Ulid.TryParse(utf8, out parsed));
            Assert.Equal(value, parsed);
        }
    }

    [Fact]
    public void Format_OrderOfValues_IsOrdinalOrderOfText()
    {
        var random = new Random(5);
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 5_000; i++)
        {
            random.NextBytes(bytes);
            var a = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes);
            random.NextBytes(bytes);
            var b = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes);

            Assert.Equal(Math.Sign(a.CompareTo(b)), Math.Sign(string.CompareOrdinal(Ulid.Format(a), Ulid.Format(b))));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FA")] // 25 characters
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAVX")] // 27
    [InlineData("01arz3ndektsv4rrffq69g5fav")] // lower case: another string, so another id
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAI")] // I, L, O and U are not in the alphabet
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAL")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAO")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAU")]
    [InlineData("81ARZ3NDEKTSV4RRFFQ69G5FAV")] // above 2^128
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FA\u00C9")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5F-V")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5F V")]
    public void TryParse_NotExactlyTheFormattedForm_False(string text)
    {
        Assert.False(Ulid.TryParse(text, out _));
        Assert.False(Ulid.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void TryParse_Null_False() => Assert.False(Ulid.TryParse((string?)null, out _));

    [Fact]
    public void TryParse_EveryStringThatParses_FormatsBackToItself()
    {
        // Property: parsing is one to one with formatting, so a store may key an id by its value.
        const string Chars = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcILOU-_ ~\u00E9";
        var random = new Random(26);
        var parsed = 0;
        for (var i = 0; i < 50_000; i++)
        {
            var length = random.Next(3) == 0 ? random.Next(0, 30) : Ulid.Length;
            var text = string.Create(length, random, static (span, r) =>
            {
                for (var c = 0; c < span.Length; c++)
                {
                    span[c] = r.Next(4) == 0 ? Chars[r.Next(Chars.Length)] : Chars[r.Next(32)];
                }
            });

            if (Ulid.TryParse(text, out var value))
            {
                parsed++;
                Assert.Equal(text, Ulid.Format(value));
            }
        }

        Assert.True(parsed > 1_000, $"only {parsed} strings parsed");
    }

    [Fact]
    public void NewId_IsTheFormOfNewValue()
    {
        var at = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        var id = JobIdGenerator.NewId(at);
        var next = JobIdGenerator.NewValue(at);

        Assert.True(Ulid.TryParse(id, out var value));
        Assert.Equal(value + 1, next);
    }
}
