namespace Conveyor.Broker.Workers;

/// <summary>What an operator asked of a worker process; the worker hears it on its next heartbeat.</summary>
public enum WorkerState
{
    /// <summary>Working normally.</summary>
    Running,

    /// <summary>Stop fetching new jobs; finish the ones in hand.</summary>
    Quiet,

    /// <summary>Stop: finish or give back the jobs in hand and exit.</summary>
    Terminate,
}
