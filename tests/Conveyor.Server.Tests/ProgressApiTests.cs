using System.Net;
using System.Net.Http.Json;
using Conveyor.Contracts;
using Conveyor.Contracts.Json;
using Conveyor.Core.Inputs;

namespace Conveyor.Server.Tests;

/// <summary><c>POST /v1/jobs/{id}/progress</c>, results on ack and settle, and <c>GET /v1/jobs/{id}/wait</c>.</summary>
public sealed class ProgressApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Progress_CurrentLease_ShownInTheJobView()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");

        using var response = await ReportAsync(server, id, $$"""{"token":"{{job.Lease!.Token}}","percent":40,"message":"4 of 10"}""");

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        var progress = (await server.Api.GetAsync(id)).Progress;
        Assert.NotNull(progress);
        Assert.Equal(40, progress.Percent);
        Assert.Equal("4 of 10", progress.Message);
        Assert.True(progress.UpdatedAt > DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task Progress_StaleToken_409AndNothingChanges()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");
        using (var ack = await server.Api.AckAsync(id, job.Lease!.Token))
        {
            await ApiClient.ExpectAsync(ack, HttpStatusCode.NoContent);
        }

        using var response = await ReportAsync(server, id, $$"""{"token":"{{job.Lease.Token}}","percent":50}""");

        await ApiClient.ProblemAsync(response, HttpStatusCode.Conflict, ProblemTypes.StaleLease);
        Assert.Null((await server.Api.GetAsync(id)).Progress);
    }

    [Fact]
    public async Task Progress_UnknownJob_404()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await ReportAsync(server, "nope", """{"token":"1","percent":50}""");

        await ApiClient.ProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Theory]
    [InlineData("""{"token":"1","percent":101}""", "percent")]
    [InlineData("""{"token":"1","percent":-1}""", "percent")]
    [InlineData("""{"token":"1"}""", "percent")]
    [InlineData("""{"percent":5}""", "token")]
    public async Task Progress_OutOfBounds_422NamingTheField(string body, string field)
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        await server.Api.FetchOneAsync("q");

        using var response = await ReportAsync(server, id, body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal(field, problem.Field);
    }

    [Fact]
    public async Task Progress_LongUnprintableMessage_StoredPrintableAndCutWithAMarker()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");
        var message = "line\\nbreak\\u202Ertl" + new string('x', InputLimits.ProgressMessageLength);

        using var response = await ReportAsync(server, id, $$"""{"token":"{{job.Lease!.Token}}","percent":1,"message":"{{message}}"}""");

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        var stored = (await server.Api.GetAsync(id)).Progress!.Message!;
        Assert.StartsWith("line break rtl", stored, StringComparison.Ordinal);
        Assert.EndsWith("chars]", stored, StringComparison.Ordinal);
        Assert.Contains("[truncated", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ack_WithResult_KeptAndShownByteForByte()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");

        using var response = await server.Api.PostRawAsync($"v1/jobs/{id}/ack", $$$"""{"token":"{{{job.Lease!.Token}}}","result":{"total": 12.50, "items":[1,2]}}""");

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        var done = await server.Api.GetAsync(id);
        Assert.Equal("completed", done.State);
        Assert.Equal("""{"total": 12.50, "items":[1,2]}""", done.Result?.ToString());
    }

    [Fact]
    public async Task Settle_AckWithResult_KeptWithEachJob()
    {
        await using var server = await RunningServer.StartAsync();
        var first = await server.Api.EnqueueAsync("t", "q");
        var second = await server.Api.EnqueueAsync("t", "q");
        var jobs = await server.Api.FetchAsync("q", max: 2);
        var body = $$"""{"ack":[{"id":"{{first}}","token":"{{jobs[0].Lease!.Token}}","result":"first"},{"id":"{{second}}","token":"{{jobs[1].Lease!.Token}}","result":null}]}""";

        using var response = await server.Api.PostRawAsync("v1/settle", body);

        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("\"first\"", (await server.Api.GetAsync(first)).Result?.ToString());
        Assert.Null((await server.Api.GetAsync(second)).Result);
    }

    [Fact]
    public async Task Ack_ResultOverTheLimit_413NamingTheFieldAndNothingSettled()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");
        var big = "\"" + new string('x', InputLimits.ResultBytes - 1) + "\""; // one byte over

        using var response = await server.Api.PostRawAsync($"v1/jobs/{id}/ack", $$"""{"token":"{{job.Lease!.Token}}","result":{{big}}}""");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("result", problem.Field);
        Assert.Equal("active", (await server.Api.GetAsync(id)).State);
    }

    [Fact]
    public async Task Settle_ResultOverTheLimit_413NamingFieldAndIndexAndNothingSettled()
    {
        await using var server = await RunningServer.StartAsync();
        var first = await server.Api.EnqueueAsync("t", "q");
        var second = await server.Api.EnqueueAsync("t", "q");
        var jobs = await server.Api.FetchAsync("q", max: 2);
        var atLimit = "\"" + new string('x', InputLimits.ResultBytes - 2) + "\"";
        var overLimit = "\"" + new string('x', InputLimits.ResultBytes - 1) + "\"";
        var body = $$"""{"ack":[{"id":"{{first}}","token":"{{jobs[0].Lease!.Token}}","result":{{atLimit}}},{"id":"{{second}}","token":"{{jobs[1].Lease!.Token}}","result":{{overLimit}}}]}""";

        using var response = await server.Api.PostRawAsync("v1/settle", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("ack.result", problem.Field);
        Assert.Equal(1, problem.Index);
        Assert.Equal("active", (await server.Api.GetAsync(first)).State);
        Assert.Equal("active", (await server.Api.GetAsync(second)).State);
    }

    [Fact]
    public async Task Wait_JobAckedMeanwhile_AnswersTheCompletedJobWithItsResult()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");
        var wait = server.Http.GetAsync($"v1/jobs/{id}/wait?timeout_ms=60000", Ct);

        using (var ack = await server.Api.PostRawAsync($"v1/jobs/{id}/ack", $$"""{"token":"{{job.Lease!.Token}}","result":[42]}"""))
        {
            await ApiClient.ExpectAsync(ack, HttpStatusCode.NoContent);
        }

        using var response = await wait.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        var done = (await response.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.JobView, Ct))!;
        Assert.Equal("completed", done.State);
        Assert.Equal("[42]", done.Result?.ToString());
    }

    [Fact]
    public async Task Wait_NothingHappens_AnswersTheUnfinishedJobAfterTheTimeout()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");

        using var response = await server.Http.GetAsync($"v1/jobs/{id}/wait?timeout_ms=200", Ct);

        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        var job = (await response.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.JobView, Ct))!;
        Assert.Equal("available", job.State);
    }

    [Fact]
    public async Task Wait_UnknownJob_404()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("v1/jobs/nope/wait?timeout_ms=1000", Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("60001")]
    public async Task Wait_TimeoutOutOfBounds_422(string timeoutMs)
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");

        using var response = await server.Http.GetAsync($"v1/jobs/{id}/wait?timeout_ms={timeoutMs}", Ct);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("timeout_ms", problem.Field);
    }

    private static Task<HttpResponseMessage> ReportAsync(RunningServer server, string id, string body) =>
        server.Api.PostRawAsync($"v1/jobs/{id}/progress", body);
}
