namespace Conveyor.Server.Dashboard;

/// <summary>
/// <c>POST /v1/jobs/bulk</c>: an action over the jobs matching <see cref="Filter"/> (run on the server, page by page) or
/// over the listed <see cref="Ids"/> (the checked rows); exactly one of the two.
/// </summary>
internal sealed record BulkRequest
{
    /// <summary><c>retry</c>, <c>cancel</c> or <c>delete</c>.</summary>
    public string? Action { get; init; }

    public BulkFilter? Filter { get; init; }

    public IReadOnlyList<string>? Ids { get; init; }
}

/// <summary>The job list's filters (as <c>GET /v1/jobs</c> takes them); <see cref="State"/> is required.</summary>
internal sealed record BulkFilter
{
    public string? State { get; init; }

    public string? Queue { get; init; }

    public string? Type { get; init; }

    public string? Tag { get; init; }

    public string? IdPrefix { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }
}

/// <summary>The answer to a bulk request: the operation to poll.</summary>
internal sealed record BulkAccepted(string Id);
