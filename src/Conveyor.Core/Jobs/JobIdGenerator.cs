using System.Security.Cryptography;

namespace Conveyor.Core.Jobs;

/// <summary>
/// Server-assigned job ids: 26-character ULIDs (48-bit millisecond time + 80 random bits, Crockford
/// base32), so ids sort by creation time and never collide across nodes.
/// </summary>
/// <remarks>
/// Monotonic within a millisecond, as the ULID spec allows: the first id of a millisecond draws fresh
/// random bits, the next ones on the same thread add one to them. That keeps ids created in one batch in
/// creation order. The fresh bits come from the system's cryptographic generator, taken from a per-thread buffer of
/// its output refilled every <see cref="DrawsPerRefill"/> draws: a call to it costs ~1 µs back to back but ~30 µs
/// after an idle gap on the 2-core VM of docs/performance.md, and at light load every job is the
/// first of its millisecond, so that was ~35 µs of each single enqueue's path to its fsync.
/// </remarks>
public static class JobIdGenerator
{
    private const int RandomBits = 80;
    private const int RandomBytes = 10;
    private const int DrawsPerRefill = 64;
    private static readonly UInt128 RandomMask = (UInt128.One << RandomBits) - 1;

    [ThreadStatic]
    private static ulong lastMs;

    [ThreadStatic]
    private static UInt128 lastRandom;

    [ThreadStatic]
    private static byte[]? randomPool;

    [ThreadStatic]
    private static int randomTaken;

    /// <summary>A new id for a job created at <paramref name="now"/>.</summary>
    public static string NewId(DateTimeOffset now) => Ulid.Format(NewValue(now));

    /// <summary>A new id's 128-bit value (its text is <see cref="Ulid.Format(UInt128)"/> of it), for a store that keys ids by value.</summary>
    public static UInt128 NewValue(DateTimeOffset now)
    {
        var ms = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds()) & 0xFFFF_FFFF_FFFF;
        UInt128 random;
        if (ms == lastMs && lastRandom != RandomMask)
        {
            random = lastRandom + 1;
        }
        else
        {
            Span<byte> bytes = stackalloc byte[16];
            NextRandom(bytes[..RandomBytes]);
            random = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes) & RandomMask;

            // Leave room to count up within the millisecond without reaching the top of the range.
            random &= ~(UInt128.One << (RandomBits - 1));
        }

        lastMs = ms;
        lastRandom = random;
        return ((UInt128)ms << RandomBits) | random;
    }

    /// <summary>Fills <paramref name="destination"/> with the next unused bytes of this thread's buffer of the cryptographic generator's output.</summary>
    private static void NextRandom(Span<byte> destination)
    {
        var pool = randomPool ??= new byte[DrawsPerRefill * RandomBytes];
        if (randomTaken == 0)
        {
            RandomNumberGenerator.Fill(pool);
        }

        var taken = pool.AsSpan(randomTaken, RandomBytes);
        taken.CopyTo(destination);
        taken.Clear(); // bytes handed out are not kept
        randomTaken = (randomTaken + RandomBytes) % pool.Length;
    }
}
