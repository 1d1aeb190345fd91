using System.Text;
using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;

namespace Conveyor.Fuzz.Targets;

/// <summary>
/// <c>POST /v1/settle</c> bodies: <see cref="SettleRequestReader"/> then the mapping to a store settle, as the endpoint does.
/// Documented rejections: <see cref="JsonException"/> (400) and <see cref="RequestRejectedException"/> (422).
/// </summary>
internal sealed class HttpSettleTarget : IFuzzTarget
{
    public string Name => "http-settle";

    public void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            _ = SettleMapping.ToSettle(SettleRequestReader.Read(input));
        }
        catch (Exception ex) when (ex is JsonException or RequestRejectedException)
        {
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("acks.json", Encoding.UTF8.GetBytes("""
            {"ack":[{"id":"01JD5Z8Q4C1N8V6X3T9R2M7K4B","token":"17"},{"id":"order-42","token":"18"}]}
            """));
        yield return ("fails.json", Encoding.UTF8.GetBytes("""
            {"fail":[{"id":"01JD5Z8Q4C1N8V6X3T9R2M7K4B","token":"3","error_type":"Timeout","message":"took too long \u2014 gave up",
              "backtrace":["at A.B()","at C.D()"],"retry_in_ms":2500}]}
            """));
        yield return ("both.json", Encoding.UTF8.GetBytes("""
            {"ack":[{"id":"a","token":"1"}],"fail":[{"id":"b","token":"2","error_type":"E","message":"m"}],"extra":{"skipped":[1,2]}}
            """));
        yield return ("nulls.json", Encoding.UTF8.GetBytes("""{"ack":[null,{"id":null,"token":null}],"fail":null}"""));
    }
}
