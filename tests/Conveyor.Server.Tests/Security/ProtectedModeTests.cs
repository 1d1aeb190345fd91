using Conveyor.Core.Security;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Security;

/// <summary>The in-process half of protected mode; Conveyor.Cli.Tests runs the real binary.</summary>
public sealed class ProtectedModeTests
{
    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void Build_ExposedWithoutKeys_RefusesWithHowToCreateOne(string bind)
    {
        using var data = new TempDirectory("conveyor-protected");

        var error = Assert.Throws<ServerConfigurationException>(() =>
            ConveyorServer.Build(new ConveyorServerOptions { DataDirectory = data.Path, BindAddress = bind, HttpPort = 0 }));

        Assert.Contains("conveyor keys create --scope admin --name ops --data " + data.Path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public async Task Build_LoopbackWithoutKeys_Builds(string bind)
    {
        using var data = new TempDirectory("conveyor-protected");

        await using var app = ConveyorServer.Build(new ConveyorServerOptions { DataDirectory = data.Path, BindAddress = bind, HttpPort = 0 });
    }

    [Fact]
    public async Task Build_ExposedWithKeyOrInsecure_Builds()
    {
        using var keyed = new TempDirectory("conveyor-protected");
        using var open = new TempDirectory("conveyor-protected");
        TestKeys.Add(keyed.Path, "ops", ApiScope.Admin);

        await using var withKey = ConveyorServer.Build(new ConveyorServerOptions { DataDirectory = keyed.Path, BindAddress = "127.0.0.2", HttpPort = 0 });
        await using var insecure = ConveyorServer.Build(new ConveyorServerOptions { DataDirectory = open.Path, BindAddress = "127.0.0.2", HttpPort = 0, Insecure = true });
    }
}
