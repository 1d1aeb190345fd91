namespace Conveyor.Storage.Embedded.State;

/// <summary>Conversions between the store's UTC ticks (0 = none) and <see cref="DateTimeOffset"/>.</summary>
internal static class Ticks
{
    public static long From(DateTimeOffset time) => time.UtcTicks;

    public static DateTimeOffset ToTime(long ticks)
    {
        if (ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new InvalidDataException($"time {ticks} out of range");
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public static DateTimeOffset? ToNullableTime(long ticks) => ticks == 0 ? null : ToTime(ticks);
}
