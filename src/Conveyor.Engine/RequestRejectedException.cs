namespace Conveyor.Engine;

/// <summary>A request the engine refuses because a value is out of range (HTTP 422).</summary>
/// <remarks>Carries the offending field (wire name) and, inside a batch, the item's index.</remarks>
public sealed class RequestRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RequestRejectedException(string field, string reason, int? index = null)
        : base(index is null ? $"{field}: {reason}" : $"jobs[{index}].{field}: {reason}")
    {
        Field = field;
        Reason = reason;
        Index = index;
    }

    /// <summary>The offending field's wire name.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }

    /// <summary>The item's position when the request was a batch.</summary>
    public int? Index { get; }
}
