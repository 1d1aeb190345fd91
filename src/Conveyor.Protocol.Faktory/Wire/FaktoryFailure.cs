namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>A job's last failure as Faktory reports it.</summary>
public sealed class FaktoryFailure
{
    public int RetryCount { get; set; }

    public int RetryRemaining { get; set; }

    public string? FailedAt { get; set; }

    public string? NextAt { get; set; }

    public string? Message { get; set; }

    public string? Errtype { get; set; }

    public IReadOnlyList<string>? Backtrace { get; set; }
}
