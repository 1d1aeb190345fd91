namespace Conveyor.Server.Faktory;

/// <summary>The RESP reply shapes a command can give, plus closing the connection (END).</summary>
internal enum FaktoryReplyKind
{
    Ok,
    Null,
    Error,
    Bulk,
    Close,
}
