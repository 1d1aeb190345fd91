using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Security;

/// <summary>What the server says about its security set-up at start.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "--insecure: serving on {Address} without authentication; anyone who can reach it can enqueue, read and delete jobs. Create a key with `{HowToCreateKey}` and drop --insecure")]
    public static partial void InsecureStart(ILogger logger, string address, string howToCreateKey);
}
