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
        var inUse = exception.InnerException is AddressInUseException || exception.Message.Contains("in use", StringComparison.OrdinalIgnoreCase);
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

    /// <summary>The port in Kestrel's "Failed to bind to address http://127.0.0.1:7419: address already in use."</summary>
    private static int? PortIn(string message)
    {
        var matches = Port().Matches(message);
        return matches.Count > 0 && int.TryParse(matches[^1].Groups["port"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    [GeneratedRegex(@":(?<port>\d{1,5})\b")]
    private static partial Regex Port();
}
