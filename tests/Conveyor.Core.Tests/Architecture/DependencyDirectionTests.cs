using System.Xml.Linq;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Core.Tests.Architecture;

/// <summary>
/// STYLE.md's dependency direction, read from the project files: Core depends on nothing; the stores and
/// the broker on Core only (the PostgreSQL store also on the transactional-enqueue package, whose insert code it
/// shares, and which depends on Core only); Contracts and the Faktory protocol on nothing of ours but each other; the
/// client SDK never on server code; only the Server (and the CLI) knows the concrete stores.
/// </summary>
public sealed class DependencyDirectionTests
{
    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Conveyor.Core", [] },
        { "Conveyor.Broker", ["Conveyor.Core"] },
        { "Conveyor.Storage.Embedded", ["Conveyor.Core"] },
        { "Conveyor.Storage.Postgres", ["Conveyor.Core", "Conveyor.Client.Postgres"] },
        { "Conveyor.Client.Postgres", ["Conveyor.Core"] },
        { "Conveyor.Contracts", ["Conveyor.Protocol.Faktory"] },
        { "Conveyor.Protocol.Faktory", ["Conveyor.Contracts"] },
        { "Conveyor.Client", ["Conveyor.Contracts"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void ProjectReferences_FollowTheDependencyDirection(string project, string[] allowed)
    {
        var references = ProjectReferences(project);

        Assert.All(references, reference => Assert.Contains(reference, allowed));
    }

    [Fact]
    public void ConcreteStores_AreReferencedOnlyByTheServerTheCliAndTests()
    {
        var sources = Path.Combine(RepositoryRoot.Path, "src");
        var users = Directory.GetDirectories(sources)
            .Select(Path.GetFileName)
            .Where(p => ProjectReferences(p!).Any(r => r.StartsWith("Conveyor.Storage.", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);

        Assert.Equal(["Conveyor.Server"], users);
    }

    private static string[] ProjectReferences(string project)
    {
        var file = Path.Combine(RepositoryRoot.Path, "src", project, $"{project}.csproj");
        return
        [
            .. XDocument.Load(file).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/'))),
        ];
    }
}
