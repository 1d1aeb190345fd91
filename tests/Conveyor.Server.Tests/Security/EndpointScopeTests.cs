using Conveyor.Core.Security;
using Conveyor.Server.Security;
using Conveyor.Testing;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Tests.Security;

public sealed class EndpointScopeTests
{
    [Fact]
    public void Endpoints_EveryOne_HasAScopeOrIsOnTheOpenList()
    {
        var endpoints = Endpoints();

        var unmarked = endpoints.Where(e => e.Scope is null && !e.Open).Select(e => e.Name).ToList();
        var open = endpoints.Where(e => e.Open).Select(e => e.Name).Order().ToList();

        Assert.Empty(unmarked);
        Assert.Equal(ScopeMap.Open.Order(), open);
    }

    [Fact]
    public void ScopeMap_ComparedWithTheApp_CoversEveryEndpointWithItsScope()
    {
        var actual = Endpoints().Where(e => !e.Open).Select(e => $"{e.Name} {e.Scope}").Order().ToList();
        var expected = ScopeMap.Cases.Select(c => $"{c} {c.Scope}").Order().ToList();

        Assert.Equal(expected, actual);
    }

    private static List<(string Name, ApiScope? Scope, bool Open)> Endpoints()
    {
        using var data = new TempDirectory("conveyor-scopes");
        var app = ConveyorServer.Build(new ConveyorServerOptions { DataDirectory = data.Path, HttpPort = 0 });
        var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>();
        return [.. routes.SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(method => (
            $"{method} {e.RoutePattern.RawText}",
            e.Metadata.GetMetadata<RequiredScope>()?.Scope,
            e.Metadata.GetMetadata<OpenEndpoint>() is not null)))];
    }
}
