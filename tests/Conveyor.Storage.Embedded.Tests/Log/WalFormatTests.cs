using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Log;

public sealed class WalFormatTests
{
    [Fact]
    public void Append_TypeOneAbc_FramesGoldenBytes()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device, segmentBytes: 64);
        wal.Append(1, "abc"u8);
        wal.Flush(sync: true);
        wal.Dispose();

        // The segment is preallocated to the segment size: header, the record, the flush's marker (type 255,
        // payload: u64 offset 16 where the flush began, u64 16 bytes durable when it was written), then zeros.
        var file = device.ReadAll("wal/00000000000000000001.wal");
        var written = Convert.FromHexString(
            "434E5657414C3033" + "0100000000000000" + "03000000" + "B27D0DC3" + "01" + "616263"
            + "10000000" + "D21FBED0" + "FF" + "1000000000000000" + "1000000000000000");
        Assert.Equal(64, file.Length);
        Assert.Equal(written, file[..written.Length]);
        Assert.All(file[written.Length..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void WriteSegmentHeader_Index258_IsMagicThenLittleEndianIndex()
    {
        var header = new byte[WalFormat.SegmentHeaderSize];
        WalFormat.WriteSegmentHeader(header, 258);
        Assert.Equal(Convert.FromHexString("434E5657414C3033" + "0201000000000000"), header);
        Assert.Equal(3, WalFormat.ReadSegmentVersion(header, 258));
        Assert.Equal(0, WalFormat.ReadSegmentVersion(header, 257));
        Assert.Equal("00000000000000000258.wal", WalFormat.SegmentFileName(258));
    }

    [Theory]
    [InlineData("434E5657414C3031", 1)]
    [InlineData("434E5657414C3032", 2)]
    [InlineData("434E5657414C3033", 3)]
    [InlineData("434E5657414C3034", 0)]
    [InlineData("434E5657414C3030", 0)]
    [InlineData("434E5657414C3131", 0)]
    [InlineData("434E5657414D3031", 0)]
    public void ReadSegmentVersion_Magic_KnowsOnlyVersionsOneToThree(string magic, int expected) =>
        Assert.Equal(expected, WalFormat.ReadSegmentVersion(Convert.FromHexString(magic + "0100000000000000"), 1));

    [Theory]
    [InlineData("00000000000000000001.wal", true)]
    [InlineData("00000000000000000000.wal", false)]
    [InlineData("0000000000000000001.wal", false)]
    [InlineData("0000000000000000000a.wal", false)]
    [InlineData("00000000000000000001.wal.tmp", false)]
    public void TryParseSegmentFileName_Name_AcceptsOnlySegments(string name, bool expected) =>
        Assert.Equal(expected, WalFormat.TryParseSegmentFileName(name, out _));

    [Fact]
    public void TryReadRecord_EveryTruncationAndRandomBytes_NeverThrowsNorAcceptsGarbage()
    {
        var frame = Convert.FromHexString("03000000B27D0DC301616263");
        Assert.True(WalFormat.TryReadRecord(frame, 0, out var type, out var payload));
        Assert.Equal(1, type);
        Assert.Equal("abc"u8.ToArray(), payload.ToArray());
        for (var length = 0; length < frame.Length; length++)
        {
            Assert.False(WalFormat.TryReadRecord(frame.AsSpan(0, length), 0, out _, out _));
        }

        var random = new Random(7);
        var noise = new byte[4096];
        for (var round = 0; round < 100; round++)
        {
            random.NextBytes(noise);
            for (var offset = 0; offset < noise.Length; offset++)
            {
                Assert.False(WalFormat.TryReadRecord(noise, offset, out _, out _));
            }
        }
    }

    [Fact]
    public void TryReadRecord_TypeZero_IsRejected()
    {
        var frame = new byte[WalFormat.RecordHeaderSize];
        Assert.False(WalFormat.TryReadRecord(frame, 0, out _, out _));
    }
}
