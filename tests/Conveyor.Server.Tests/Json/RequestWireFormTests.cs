using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// Requests are written without the options a client left unset: a batch of a thousand jobs is a quarter of the bytes
/// to send and to read, and the server's defaults apply as if the field were null.
/// </summary>
public sealed class RequestWireFormTests
{
    [Fact]
    public void EnqueueRequest_OnlyTypeSet_WritesTypeAndArgs()
    {
        var json = JsonSerializer.Serialize(new EnqueueRequest { Type = "email.send" }, ConveyorJsonContext.Default.EnqueueRequest);

        Assert.Equal("""{"type":"email.send","args":[]}""", json);
    }

    [Fact]
    public void EnqueueRequest_EveryOptionSet_WritesEveryOption()
    {
        var request = new EnqueueRequest
        {
            Id = "a", Queue = "q", Type = "t", Priority = 7, RunAt = DateTimeOffset.UnixEpoch, DelayMs = 1, MaxAttempts = 3, Dead = false,
            LeaseSeconds = 60, UniqueKey = "k", UniqueForSeconds = 5, Tags = ["x"], Meta = new Dictionary<string, string> { ["m"] = "v" }, Backoff = "fixed:3",
        };

        using var written = JsonDocument.Parse(JsonSerializer.Serialize(request, ConveyorJsonContext.Default.EnqueueRequest));

        Assert.Equal(15, written.RootElement.EnumerateObject().Count());
        Assert.False(written.RootElement.GetProperty("dead").GetBoolean());
        Assert.Equal("fixed:3", written.RootElement.GetProperty("backoff").GetString());
    }

    [Fact]
    public void WorkerRequests_UnsetOptions_AreLeftOut()
    {
        Assert.Equal("""{"queues":["q"]}""", JsonSerializer.Serialize(new FetchRequest { Queues = ["q"] }, ConveyorJsonContext.Default.FetchRequest));
        Assert.Equal(
            """{"ack":[{"id":"j","token":"t"}]}""",
            JsonSerializer.Serialize(new SettleRequest { Ack = [new SettleAck { Id = "j", Token = "t" }] }, ConveyorJsonContext.Default.SettleRequest));
        Assert.Equal("""{"token":"t"}""", JsonSerializer.Serialize(new FailRequest { Token = "t" }, ConveyorJsonContext.Default.FailRequest));
        Assert.Equal("""{"token":"t"}""", JsonSerializer.Serialize(new HeartbeatRequest { Token = "t" }, ConveyorJsonContext.Default.HeartbeatRequest));
    }
}
