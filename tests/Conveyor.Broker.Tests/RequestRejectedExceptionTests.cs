using Xunit;

namespace Conveyor.Broker.Tests;

/// <summary>The message starts with where the value is, as a reader of the request would write it.</summary>
public sealed class RequestRejectedExceptionTests
{
    [Theory]
    [InlineData("queue", null, "jobs", "queue: required")]
    [InlineData("queue", 2, "jobs", "jobs[2].queue: required")]
    [InlineData("jobs", 0, "jobs", "jobs[0]: required")]
    [InlineData("ack.id", 1, "ack", "ack[1].id: required")]
    [InlineData("fail.retry_in_ms", 3, "fail", "fail[3].retry_in_ms: required")]
    [InlineData("ack", 4, "ack", "ack[4]: required")]
    [InlineData("acknowledged", 5, "ack", "ack[5].acknowledged: required")]
    public void Message_NamesTheListItemAndField(string field, int? index, string list, string message)
    {
        var rejected = new RequestRejectedException(field, "required", index, list);

        Assert.Equal(message, rejected.Message);
        Assert.Equal(field, rejected.Field);
        Assert.Equal(index, rejected.Index);
    }
}
