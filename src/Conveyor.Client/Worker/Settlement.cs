using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;

namespace Conveyor.Client.Worker;

/// <summary>The outcome of one attempt, waiting to be sent in the next <c>POST /v1/settle</c>: an ack or a fail.</summary>
internal readonly record struct Settlement(SettleAck? Ack, SettleFail? Fail)
{
    public static Settlement Acked(string id, string token, byte[]? result = null) =>
        new(new SettleAck { Id = id, Token = token, Result = result is null ? null : new RawJson(result) }, null);

    public static Settlement Failed(string id, string token, Failure failure) => new(null, new SettleFail
    {
        Id = id,
        Token = token,
        ErrorType = failure.ErrorType,
        Message = failure.Message,
        Backtrace = failure.Backtrace,
        RetryInMs = failure.RetryInMs,
        Retry = failure.Retry ? null : false,
    });
}
