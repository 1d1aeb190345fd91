namespace Conveyor.Server;

/// <summary>The server options cannot be used (unknown bind address, unsupported store, ...).</summary>
public sealed class ServerConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServerConfigurationException()
        : base("the server configuration is invalid")
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    public ServerConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and its cause.</summary>
    public ServerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
