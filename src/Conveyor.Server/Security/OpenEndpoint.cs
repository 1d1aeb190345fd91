namespace Conveyor.Server.Security;

/// <summary>Endpoint metadata: answers without a key (the health probes only).</summary>
internal sealed class OpenEndpoint
{
    public static readonly OpenEndpoint Instance = new();

    private OpenEndpoint()
    {
    }
}
