namespace Conveyor.Core.Storage;

/// <summary>What every store needs besides its own connection settings.</summary>
public sealed record JobStoreSettings
{
    /// <summary>The clock (a fake one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Source of back-off jitter (a seeded one in tests).</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>Retention of finished jobs.</summary>
    public RetentionPolicy Retention { get; init; } = RetentionPolicy.Default;
}
