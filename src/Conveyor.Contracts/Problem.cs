namespace Conveyor.Contracts;

/// <summary>An error answer (RFC 9457 <c>application/problem+json</c>), as clients read it.</summary>
public sealed record Problem
{
    /// <summary>One of <see cref="ProblemTypes"/>.</summary>
    public string? Type { get; init; }

    /// <summary>A short summary of the kind.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status.</summary>
    public int? Status { get; init; }

    /// <summary>What went wrong this time.</summary>
    public string? Detail { get; init; }

    /// <summary>For validation problems: the offending field.</summary>
    public string? Field { get; init; }

    /// <summary>For validation problems inside a batch: the item's position.</summary>
    public int? Index { get; init; }
}
