namespace Conveyor.Server.Delivery;

/// <summary>What became of an answer once it was written (see <see cref="TcpDelivery"/>).</summary>
internal enum DeliveryOutcome
{
    /// <summary>The client's TCP acknowledged every byte of the answer: delivered.</summary>
    Acknowledged,

    /// <summary>The connection failed before the client acknowledged all of it: not delivered.</summary>
    ConnectionFailed,

    /// <summary>Not known (another platform or transport, or still unacknowledged when the wait ended).</summary>
    Unknown,
}
