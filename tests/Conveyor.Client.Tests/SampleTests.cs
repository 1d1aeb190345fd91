using System.Net.Http.Json;
using Conveyor.Samples.Producer;
using Conveyor.Samples.Worker;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Client.Tests;

/// <summary>The two samples, composed exactly as their <c>Program.cs</c> does, against a real server (docs/sdk.md's two terminals).</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task Samples_SignupPostedToProducer_IsHandledByTheWorker()
    {
        await using var server = await TestServer.StartAsync();
        var conveyor = $"--Conveyor:ServerUrl={server.Url}";
        using var worker = WorkerApp.CreateBuilder([conveyor, "--Logging:LogLevel:Default=Warning"]).Build();
        await worker.StartAsync(TestContext.Current.CancellationToken);
        await using var producer = ProducerApp.Build([conveyor, "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await producer.StartAsync(TestContext.Current.CancellationToken);
        var address = producer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient();

        using var response = await http.PostAsJsonAsync(new Uri(new Uri(address), "/signups"), new { email = "ada@example.com" }, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var jobId = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetString()!;
        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(jobId))?.State == "completed", "the worker to handle the signup");
        var job = (await server.Client.GetAsync(jobId))!;
        Assert.Equal("email.welcome", job.Type);
        Assert.Equal("mail", job.Queue);
        Assert.Equal("""{"email":"ada@example.com"}""", job.Args.ToString());
        var digest = await server.Client.GetScheduleAsync(DigestSchedule.Name, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(("0 8 * * *", "digest.daily"), (digest?.Expression, digest?.Job.Type));

        var sent = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri(new Uri(address), $"/signups/{jobId}"), TestContext.Current.CancellationToken);
        Assert.Equal("ada@example.com", sent.GetProperty("email").GetString());
        Assert.Equal($"<{jobId}@welcome.example>", sent.GetProperty("messageId").GetString());
        await producer.StopAsync(TestContext.Current.CancellationToken);
        await worker.StopAsync(TestContext.Current.CancellationToken);
    }
}
