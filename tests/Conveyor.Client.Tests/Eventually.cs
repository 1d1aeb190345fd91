namespace Conveyor.Client.Tests;

/// <summary>Polls a condition until it holds; fails the test after a generous bound (no timing is asserted).</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, int seconds = 30) =>
        HoldsAsync(() => Task.FromResult(condition()), what, seconds);
}
