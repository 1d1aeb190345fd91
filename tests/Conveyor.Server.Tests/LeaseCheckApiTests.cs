using System.Net;
using System.Net.Http.Json;
using System.Text;
using Conveyor.Contracts;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Inputs;

namespace Conveyor.Server.Tests;

public sealed class LeaseCheckApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_CancelledRunningJob_ReportsCancelledAndTheLateAckIsRefused()
    {
        await using var server = await RunningServer.StartAsync();
        var cancelled = await server.Api.EnqueueAsync("t", "q");
        var held = await server.Api.EnqueueAsync("t", "q");
        var jobs = await server.Api.FetchAsync("q", max: 2);
        var tokens = jobs.ToDictionary(j => j.Id, j => j.Lease!.Token);
        using (var cancel = await server.Api.PostAsync($"v1/jobs/{cancelled}/cancel"))
        {
            Assert.True(cancel.IsSuccessStatusCode);
        }

        var answer = await CheckAsync(server, (held, tokens[held]), (cancelled, tokens[cancelled]), ("no-such-job", "1"));

        Assert.Equal([new LostLeaseView(cancelled, tokens[cancelled], "cancelled"), new LostLeaseView("no-such-job", "1", "unknown")], answer.Lost);
        using var ack = await server.Api.AckAsync(cancelled, tokens[cancelled]);
        await ApiClient.ProblemAsync(ack, HttpStatusCode.Conflict, ProblemTypes.StaleLease);
        Assert.Equal("cancelled", (await server.Api.GetAsync(cancelled)).State);
    }

    [Fact]
    public async Task Check_AckedJob_ReportsLost()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var token = (await server.Api.FetchOneAsync("q")).Lease!.Token;
        using (var ack = await server.Api.AckAsync(id, token))
        {
            await ApiClient.ExpectAsync(ack, HttpStatusCode.NoContent);
        }

        var answer = await CheckAsync(server, (id, token));

        Assert.Equal("lost", Assert.Single(answer.Lost).Reason);
    }

    [Fact]
    public async Task Check_NoLeases_AnswersEmpty()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/leases/check", """{"leases":[]}""");

        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("""{"lost":[]}""", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Check_OverTheLimit_413NamingTheField()
    {
        await using var server = await RunningServer.StartAsync();
        var body = new StringBuilder("""{"leases":[""");
        for (var i = 0; i <= InputLimits.LeaseChecks; i++)
        {
            body.Append(i == 0 ? "" : ",").Append("""{"id":"j","token":"1"}""");
        }

        using var response = await server.Api.PostRawAsync("v1/leases/check", body.Append("]}").ToString());

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("leases", problem.Field);
    }

    [Theory]
    [InlineData("""{"leases":[{"id":"j","token":"1"},null]}""", "leases", 1)]
    [InlineData("""{"leases":[{"token":"1"}]}""", "leases.id", 0)]
    [InlineData("""{"leases":[{"id":"j"}]}""", "leases.token", 0)]
    public async Task Check_InvalidItem_422NamingTheItem(string body, string field, int index)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/leases/check", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal((field, index), (problem.Field, problem.Index));
    }

    [Fact]
    public async Task Check_OversizedToken_413()
    {
        await using var server = await RunningServer.StartAsync();
        var token = new string('7', InputLimits.TokenLength + 1);

        using var response = await server.Api.PostRawAsync("v1/leases/check", $$"""{"leases":[{"id":"j","token":"{{token}}"}]}""");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("leases.token", problem.Field);
    }

    [Fact]
    public async Task Check_MalformedJson_400ProblemWithoutTypeNames()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/leases/check", """{"leases":[{"id":1""");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedJson);
        Assert.DoesNotContain("Conveyor.", problem.Detail ?? "", StringComparison.Ordinal);
    }

    private static async Task<LeaseCheckResponse> CheckAsync(RunningServer server, params (string Id, string Token)[] leases)
    {
        var request = new LeaseCheckRequest { Leases = [.. leases.Select(l => new LeaseCheckItem { Id = l.Id, Token = l.Token })] };
        using var response = await server.Http.PostAsJsonAsync("v1/leases/check", request, ConveyorJsonContext.Default.LeaseCheckRequest, Ct);
        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.LeaseCheckResponse, Ct))!;
    }
}
