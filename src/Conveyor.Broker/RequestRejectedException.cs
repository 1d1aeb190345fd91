namespace Conveyor.Broker;

/// <summary>A request the broker refuses because a value is out of range (HTTP 422) or too large (HTTP 413).</summary>
/// <remarks>Carries the offending field (wire name) and, inside a batch, the item's index.</remarks>
public sealed class RequestRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The offending field's wire name; in a list other than a batch's jobs, prefixed with the list's name (<c>ack.id</c>).</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="index">The item's position when the request was a list of items.</param>
    /// <param name="list">The name of that list: a batch's <c>jobs</c>, or a settle's <c>ack</c> or <c>fail</c>.</param>
    /// <param name="tooLarge">Whether the value is refused for its size (a length or count over its limit) rather than its content.</param>
    public RequestRejectedException(string field, string reason, int? index = null, string list = "jobs", bool tooLarge = false)
        : base($"{Path(field, index, list)}: {reason}")
    {
        Field = field;
        Reason = reason;
        Index = index;
        TooLarge = tooLarge;
    }

    /// <summary>Whether the value is refused for its size (413) rather than its content (422).</summary>
    public bool TooLarge { get; }

    /// <summary>The offending field's wire name.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }

    /// <summary>The item's position when the request was a batch.</summary>
    public int? Index { get; }

    /// <summary>
    /// Where the value is, as a reader of the request would write it: <c>jobs[2].queue</c>, <c>ack[0].id</c> (for
    /// the field <c>ack.id</c>), or <c>jobs[0]</c> when the field is the list itself (the item is wrong).
    /// </summary>
    private static string Path(string field, int? index, string list)
    {
        if (index is null)
        {
            return field;
        }

        if (field == list)
        {
            return $"{list}[{index}]";
        }

        return field.StartsWith(list + ".", StringComparison.Ordinal)
            ? $"{list}[{index}]{field[list.Length..]}"
            : $"{list}[{index}].{field}";
    }
}
