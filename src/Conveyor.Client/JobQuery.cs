namespace Conveyor.Client;

/// <summary>Filters of <see cref="ConveyorClient.ListAsync"/>; they combine with AND.</summary>
public sealed record JobQuery
{
    /// <summary>Only jobs in this state (<c>completed</c>, <c>dead</c>, ...).</summary>
    public string? State { get; init; }

    /// <summary>Only jobs of this queue.</summary>
    public string? Queue { get; init; }

    /// <summary>Only jobs of this type.</summary>
    public string? Type { get; init; }

    /// <summary>Page size, 1–1000 (server default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>next_cursor</c> of the previous page.</summary>
    public string? Cursor { get; init; }
}
