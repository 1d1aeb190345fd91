namespace Conveyor.Server.Hosting;

/// <summary>An API call arrived before the store finished recovery (HTTP 503).</summary>
internal sealed class ServiceNotReadyException(string message) : Exception(message);
