namespace Conveyor.Client.Tests;

/// <summary>The worker transports a test runs on: <c>[Theory, MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]</c>.</summary>
public static class Transports
{
    public const string Http = "http";

    public const string Grpc = "grpc";

    public static TheoryData<string> Both => [Http, Grpc];
}
