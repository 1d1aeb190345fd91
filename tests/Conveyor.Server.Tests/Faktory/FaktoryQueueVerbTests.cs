using Conveyor.Testing;

namespace Conveyor.Server.Tests.Faktory;

/// <summary><c>QUEUE LATENCY</c> reads each queue's oldest available time from the store, on the server's clock.</summary>
public sealed class FaktoryQueueVerbTests
{
    [Fact]
    public async Task Latency_JobsWaitingOnAFakeClock_SecondsSinceTheOldestBecameAvailable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.FaktoryPort = port;
            o.Time = time;
        });
        await using var client = await RawFaktoryClient.OpenAsync(port);
        Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"old\",\"jobtype\":\"t\",\"args\":[],\"queue\":\"q\"}"));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"new\",\"jobtype\":\"t\",\"args\":[],\"queue\":\"q\"}"));
        time.Advance(TimeSpan.FromSeconds(12));

        Assert.Equal("{\"q\":42,\"none\":0}", await client.SendAsync("QUEUE LATENCY q none"));
    }
}
