using System.Globalization;
using System.Text.RegularExpressions;
using Conveyor.Server;
using Microsoft.AspNetCore.Connections;

namespace Conveyor.Cli.Commands;

/// <summary>
/// What <c>serve</c> says when a port cannot be opened: which of its two ports (Kestrel's message names only the address)
/// and the flag that changes it.
/// </summary>
internal static partial class ListenFailure
{
    public static string Describe(IOException exception, ConveyorServerOptions options)
    {
        var port = PortIn(exception.Message);
        var faktory = options.FaktoryPort != 0 && port == options.FaktoryPort && port != options.HttpPort;
        if (options.GrpcPort != 0 && port == options.GrpcPort && port != options.HttpPort)
        {
            return InUse(exception)
                ? $"port {port} (gRPC) is in use; pass --grpc-port 0 to turn gRPC off or choose another port"
                : $"cannot listen on {options.BindAddress}:{port} (gRPC): {exception.Message}; pass --grpc-port 0 to turn gRPC off or choose another port";
        }

        var inUse = InUse(exception);
        var shown = port?.ToString(CultureInfo.InvariantCulture) ?? (faktory ? options.FaktoryPort : options.HttpPort).ToString(CultureInfo.InvariantCulture);
        if (faktory)
        {
            return inUse
                ? $"port {shown} (Faktory) is in use; pass --faktory-port 0 to turn Faktory off or choose another port"
                : $"cannot listen on {options.BindAddress}:{shown} (Faktory): {exception.Message}; pass --faktory-port 0 to turn Faktory off or choose another port";
        }

        return inUse
            ? $"port {shown} (HTTP) is in use; pass --http-port with another port (0 picks a free one)"
            : $"cannot listen on {options.BindAddress}:{shown} (HTTP): {exception.Message}";
    }

    private static bool InUse(IOException exception) =>
        exception.InnerException is AddressInUseException || exception.Message.Contains("in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>The port in Kestrel's "Failed to bind to address http://127.0.0.1:7419: address already in use."</summary>
    private static int? PortIn(string message)
    {
        var matches = Port().Matches(message);
        return matches.Count > 0 && int.TryParse(matches[^1].Groups["port"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    [GeneratedRegex(@":(?<port>\d{1,5})\b")]
    private static partial Regex Port();
}
