using BenchmarkDotNet.Attributes;
using Conveyor.Core.Jobs;

namespace Conveyor.Benchmarks;

/// <summary>
/// The id's text form and back, per 100 ids: made for every enqueue answer, job view and record naming a job
/// (the store keeps server-assigned ids as values), and parsed for every settle, heartbeat and replayed record.
/// </summary>
[MemoryDiagnoser]
public class UlidBenchmarks
{
    private const int Count = 100;

    private readonly UInt128[] values = new UInt128[Count];
    private readonly string[] texts = new string[Count];
    private readonly byte[][] utf8 = new byte[Count][];
    private readonly byte[] output = new byte[Ulid.Length];

    [GlobalSetup]
    public void Setup()
    {
        var at = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Count; i++)
        {
            values[i] = JobIdGenerator.NewValue(at.AddMilliseconds(i));
            texts[i] = Ulid.Format(values[i]);
            utf8[i] = System.Text.Encoding.ASCII.GetBytes(texts[i]);
        }
    }

    [Benchmark]
    public int Format()
    {
        var total = 0;
        foreach (var value in values)
        {
            total += Ulid.Format(value).Length;
        }

        return total;
    }

    [Benchmark]
    public int FormatUtf8()
    {
        var total = 0;
        foreach (var value in values)
        {
            Ulid.FormatUtf8(value, output);
            total += output[25];
        }

        return total;
    }

    [Benchmark]
    public int ParseText()
    {
        var total = 0;
        foreach (var text in texts)
        {
            total += Ulid.TryParse(text, out var value) ? (int)(value & 1) : 0;
        }

        return total;
    }

    [Benchmark]
    public int ParseUtf8()
    {
        var total = 0;
        foreach (var bytes in utf8)
        {
            total += Ulid.TryParse(bytes, out var value) ? (int)(value & 1) : 0;
        }

        return total;
    }
}
