namespace Conveyor.Engine;

/// <summary>A request the engine refuses because a value is out of range (HTTP 422).</summary>
/// <remarks>Carries the offending field (wire name) and, inside a batch, the item's index.</remarks>
public sealed class RequestRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The offending field's wire name; inside a list other than a batch's jobs, prefixed with the list's name (<c>ack.id</c>).</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="index">The item's position when the request was a batch.</param>
    public RequestRejectedException(string field, string reason, int? index = null)
        : base($"{Path(field, index)}: {reason}")
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

    /// <summary>
    /// Where the value is, as a reader of the request would write it: <c>jobs[2].queue</c> in a batch of jobs,
    /// <c>ack[0].id</c> for a field of a settle's list (whose wire name, <c>ack.id</c>, names the list), <c>ack[0]</c>
    /// or <c>jobs[0]</c> for an item itself.
    /// </summary>
    private static string Path(string field, int? index)
    {
        if (index is null)
        {
            return field;
        }

        if (field is "jobs" or "ack" or "fail")
        {
            return $"{field}[{index}]";
        }

        var dot = field.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && field[..dot] is "ack" or "fail"
            ? $"{field[..dot]}[{index}]{field[dot..]}"
            : $"jobs[{index}].{field}";
    }
}
