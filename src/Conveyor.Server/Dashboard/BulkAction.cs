namespace Conveyor.Server.Dashboard;

/// <summary>What a bulk operation does to each job it matches.</summary>
internal enum BulkAction
{
    /// <summary>Dead and retrying jobs become available now (as <c>POST /v1/jobs/{id}/retry</c>).</summary>
    Retry,

    /// <summary>Scheduled, available, active and retrying jobs are cancelled (as <c>POST /v1/jobs/{id}/cancel</c>).</summary>
    Cancel,

    /// <summary>Jobs that are not active are deleted (as <c>DELETE /v1/jobs/{id}</c>).</summary>
    Delete,
}
