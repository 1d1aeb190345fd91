using Conveyor.Broker;
using Conveyor.Broker.Workers;
using Conveyor.Server.Hosting;

namespace Conveyor.Server.Faktory;

/// <summary>One connection's state after the handshake, and the services its commands use.</summary>
internal sealed class FaktorySession(BrokerRuntime runtime, WorkerRegistry workers, FaktoryServerState server)
{
    /// <summary>The worker id from HELLO; null for a producer-only client (it may still FETCH, ACK and FAIL).</summary>
    public string? Wid { get; set; }

    public JobBroker Broker => runtime.Broker;

    public WorkerRegistry Workers { get; } = workers;

    public FaktoryServerState Server { get; } = server;
}
