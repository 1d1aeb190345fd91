using System.Collections.Frozen;
using System.Net;
using Conveyor.Contracts;
using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Security;

/// <summary>
/// Answers only to the names the server is reached by, so a web page whose name was re-pointed at this
/// address (DNS rebinding) gets 421: loopback names, the bound address, <c>--allowed-hosts</c>, and any
/// IP literal when bound to all addresses (an IP literal is no rebinding vector).
/// </summary>
internal sealed class HostFilter
{
    private readonly FrozenSet<string> allowed;
    private readonly bool anyIpLiteral;
    private readonly bool anyHost;

    public HostFilter(IPAddress bound, IEnumerable<string> extra)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "[::1]" };
        names.Add(bound.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bound}]" : bound.ToString());
        foreach (var name in extra)
        {
            names.Add(name.Trim());
        }

        anyHost = names.Contains("*");
        anyIpLiteral = bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any);
        allowed = names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    public bool Allows(string host) =>
        anyHost || allowed.Contains(host) || (anyIpLiteral && IPAddress.TryParse(host.Trim('[', ']'), out _));

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var host = context.Request.Host;
        if (host.HasValue && Allows(host.Host))
        {
            return next(context);
        }

        return SecurityProblems.WriteAsync(
            context, StatusCodes.Status421MisdirectedRequest, "Misdirected request", ProblemTypes.MisdirectedRequest,
            "this server does not answer to that Host name; an operator can add it with --allowed-hosts");
    }
}
