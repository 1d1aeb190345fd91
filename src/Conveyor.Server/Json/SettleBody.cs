using Conveyor.Contracts.Workers;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>
/// A <c>POST /v1/settle</c> body as <see cref="SettleRequestReader"/> reads it: the wire <see cref="SettleRequest"/>
/// with each ack's id already a <see cref="JobKey"/>, so a batch of a thousand acks makes no string per
/// server-assigned id. Nulls — a list, an item, a field — stay null for <c>SettleMapping.ToSettle</c> to name.
/// </summary>
internal sealed record SettleBody(List<SettleAckItem?>? Ack, List<SettleFail?>? Fail);

/// <summary>One ack of a <see cref="SettleBody"/>; a null id or token is what the body said (or left out).</summary>
internal record struct SettleAckItem(JobKey? Id, string? Token)
{
    /// <summary>The ack's result as sent (raw JSON); null when left out or JSON null.</summary>
    public byte[]? Result { get; set; }
}
