using System.Net;
using System.Text;
using Conveyor.Contracts;
using Conveyor.Core.Security;
using Conveyor.Server.Security;
using Conveyor.Storage.Embedded;
using Conveyor.Testing;
using Microsoft.AspNetCore.Builder;

namespace Conveyor.Server.Tests.Security;

/// <summary>Problem details never name .NET types or show stack traces (SPEC §6).</summary>
public sealed class ProblemLeakTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HandlerThrows_500ProblemWithoutTypesOrStack()
    {
        using var data = new TempDirectory("conveyor-leak");
        var app = ConveyorServer.Build(
            new ConveyorServerOptions { DataDirectory = data.Path, HttpPort = 0, Durability = DurabilityMode.None },
            ["--Logging:LogLevel:Default=None", "--environment=Development"]);
        app.MapGet("/boom", string () => throw new InvalidOperationException("Conveyor.Secret.Thing failed at System.Private.CoreLib"))
            .RequireScope(ApiScope.Read);
        await app.StartAsync(Ct);
        try
        {
            using var http = new HttpClient { BaseAddress = app.GetHttpAddress() };

            using var response = await http.GetAsync("boom", Ct);

            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(ProblemTypes.Internal, body, StringComparison.Ordinal);
            AssertNoInternals(body);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("v1/fetch", "{not json")]
    [InlineData("v1/fetch", """{"queues":"notalist"}""")]
    [InlineData("v1/fetch", """{"max":"x"}""")]
    [InlineData("v1/jobs/x/ack", "[1]")]
    [InlineData("v1/jobs/x/heartbeat", """{"token":1}""")]
    [InlineData("v1/jobs", """{"type":1}""")]
    public async Task MalformedBody_400ProblemWithoutTypes(string path, string body)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertNoInternals(text);
    }

    [Fact]
    public async Task BadQuery_400ProblemWithoutTypes()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("v1/jobs?limit=abc", Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertNoInternals(text);
    }

    private static void AssertNoInternals(string body)
    {
        foreach (var leak in (string[])["Conveyor.", "System.", "Microsoft.", "Exception", "   at ", "FetchRequest", "Int32", "String "])
        {
            Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
        }
    }
}
