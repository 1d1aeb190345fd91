namespace Conveyor.Client.Postgres;

/// <summary>Where <see cref="PostgresTransactionalEnqueue"/> writes: the schema the Conveyor nodes use, and the clock.</summary>
public sealed record PostgresEnqueueOptions
{
    /// <summary>The nodes' schema (their <c>--postgres-schema</c>, default <c>conveyor</c>); a node must have created it (started once).</summary>
    public string Schema { get; init; } = "conveyor";

    /// <summary>The clock the job's times come from (keep it the nodes' clock: the system one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
