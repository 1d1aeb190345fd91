using Conveyor.Broker;
using Conveyor.Broker.Workers;
using Conveyor.Server.Hosting;

namespace Conveyor.Server.Faktory;

/// <summary>One connection's state after the handshake, and the services its commands use.</summary>
internal sealed class FaktorySession(BrokerRuntime runtime, WorkerRegistry workers, FaktoryServerState server)
{
    /// <summary>The worker id from HELLO; null for a producer-only client (it may still FETCH, ACK and FAIL).</summary>
    public string? Wid
    {
        get;
        set
        {
            field = value;
            LeaseHolder = FaktoryLeaseHolder.For(value);
        }
    }

    /// <summary>The worker id this connection's fetches record on their leases, and its ACK and FAIL must match.</summary>
    public string LeaseHolder { get; private set; } = FaktoryLeaseHolder.For(null);

    public JobBroker Broker => runtime.Broker;

    public WorkerRegistry Workers { get; } = workers;

    public FaktoryServerState Server { get; } = server;
}
