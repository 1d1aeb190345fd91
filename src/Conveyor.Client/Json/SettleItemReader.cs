using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using SettleItemFields = (string? Id, string? Status);

namespace Conveyor.Client.Json;

/// <summary>Reads one <see cref="SettleItemResult"/> of a settle answer as the serializer does.</summary>
internal static class SettleItemReader
{
    private static readonly string?[] Statuses = ["ok", "stale", "unknown"];

    /// <summary>The members of <see cref="SettleItemResult"/>.</summary>
    public static readonly JsonMemberTable<ResponseMember<SettleItemFields>> Members = new([
        new("id", static (ref p, ref item) => item.Id = p.ReadString(SentId(p.Sent, p.ItemIndex))),
        new("status", static (ref p, ref item) => item.Status = ReadStatus(ref p))]);

    public static SettleItemResult Read(ref ResponseParser parser)
    {
        SettleItemFields item = default;
        parser.ReadObject(Members, ref item);
        return new SettleItemResult(item.Id!, item.Status!);
    }

    /// <summary>The id sent at the item's place, if the request is known: the server answers the acks, then the fails, each in order.</summary>
    private static string? SentId(SettleRequest? sent, int index)
    {
        if (sent is null)
        {
            return null;
        }

        var acks = sent.Ack?.Count ?? 0;
        var fails = sent.Fail?.Count ?? 0;
        return index < acks ? sent.Ack![index]?.Id : index - acks < fails ? sent.Fail![index - acks]?.Id : null;
    }

    /// <summary>A status, as the shared string when it is one of the three the server writes.</summary>
    private static string? ReadStatus(ref ResponseParser parser) => parser.ReadString(Statuses);
}
