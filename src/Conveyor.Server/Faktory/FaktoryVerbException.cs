namespace Conveyor.Server.Faktory;

/// <summary>A command the client got wrong; answered <c>-ERR message</c> and the connection stays open.</summary>
internal sealed class FaktoryVerbException(string message) : Exception(message);
