using System.Net;
using Conveyor.Contracts;
using Conveyor.Core.Inputs;

namespace Conveyor.Server.Tests.Bounds;

/// <summary><c>GET /v1/queues</c> pages by name: <c>limit</c> and the <c>after</c> cursor, with <c>next</c> in the answer.</summary>
public sealed class QueuePagingTests
{
    [Fact]
    public async Task List_SeveralPages_FollowingNextSeesEveryQueueOnceInOrder()
    {
        await using var server = await RunningServer.StartAsync();
        string[] names = ["delta", "alpha", "echo", "charlie", "bravo", "foxtrot", "golf"];
        foreach (var name in names)
        {
            using var pause = await server.Api.PostAsync($"v1/queues/{name}/pause");
        }

        var first = await server.Api.QueuePageAsync("?limit=3");
        var second = await server.Api.QueuePageAsync($"?limit=3&after={first.Next}");
        var third = await server.Api.QueuePageAsync($"?limit=3&after={second.Next}");

        Assert.Equal(["alpha", "bravo", "charlie"], first.Queues.Select(q => q.Name));
        Assert.Equal("charlie", first.Next);
        Assert.Equal(["delta", "echo", "foxtrot"], second.Queues.Select(q => q.Name));
        Assert.Equal(["golf"], third.Queues.Select(q => q.Name));
        Assert.Null(third.Next);
    }

    [Fact]
    public async Task List_NoLimit_DefaultPageWithNext()
    {
        await using var server = await RunningServer.StartAsync();
        for (var i = 0; i <= InputLimits.QueuePageDefault; i++)
        {
            using var pause = await server.Api.PostAsync($"v1/queues/q{i:D3}/pause");
        }

        var page = await server.Api.QueuePageAsync("");

        Assert.Equal(InputLimits.QueuePageDefault, page.Queues.Count);
        Assert.Equal($"q{InputLimits.QueuePageDefault - 1:D3}", page.Next);
        Assert.Equal([$"q{InputLimits.QueuePageDefault:D3}"], (await server.Api.QueuePageAsync($"?after={page.Next}")).Queues.Select(q => q.Name));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(InputLimits.QueuePageMax + 1)]
    public async Task List_LimitOutOfRange_422NamingLimit(int limit)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync($"v1/queues?limit={limit}", TestContext.Current.CancellationToken);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("limit", problem.Field);
    }

    [Fact]
    public async Task List_LimitAtItsMaximum_Ok()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueAsync("t", "q");

        var page = await server.Api.QueuePageAsync($"?limit={InputLimits.QueuePageMax}");

        Assert.Equal(["q"], page.Queues.Select(q => q.Name));
        Assert.Null(page.Next);
    }
}
