namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>FAIL's payload.</summary>
public sealed class FaktoryFail
{
    public string? Jid { get; set; }

    public string? Errtype { get; set; }

    public string? Message { get; set; }

    public IReadOnlyList<string>? Backtrace { get; set; }
}
