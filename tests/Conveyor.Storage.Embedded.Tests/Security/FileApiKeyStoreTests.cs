using Conveyor.Core.Security;
using Conveyor.Storage.Embedded.Security;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Security;

public sealed class FileApiKeyStoreTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryAdd_ThenListFromAnotherInstance_RoundTripsEveryField()
    {
        using var data = new TempDirectory("conveyor-keys");
        var key = Key("billing", ApiScope.Produce | ApiScope.Work) with { LastUsedAt = Created.AddMinutes(5) };

        Assert.True(await new FileApiKeyStore(data.Path).TryAddAsync(key, Ct));
        var listed = await new FileApiKeyStore(data.Path).ListAsync(Ct);

        Assert.Equal(key, Assert.Single(listed));
    }

    [Fact]
    public async Task TryAdd_NameTaken_FalseAndUnchanged()
    {
        using var data = new TempDirectory("conveyor-keys");
        var store = new FileApiKeyStore(data.Path);
        await store.TryAddAsync(Key("ops", ApiScope.Admin), Ct);

        var added = await store.TryAddAsync(Key("ops", ApiScope.Read), Ct);

        Assert.False(added);
        Assert.Equal(ApiScope.Admin, Assert.Single(await store.ListAsync(Ct)).Scopes);
    }

    [Fact]
    public async Task Revoke_ByIdOrName_RemovesOnlyThatKey()
    {
        using var data = new TempDirectory("conveyor-keys");
        var store = new FileApiKeyStore(data.Path);
        var a = Key("a", ApiScope.Read);
        var b = Key("b", ApiScope.Read);
        await store.TryAddAsync(a, Ct);
        await store.TryAddAsync(b, Ct);

        var byId = await store.RevokeAsync(a.Id, Ct);
        var missing = await store.RevokeAsync("nope", Ct);

        Assert.Equal(a, byId);
        Assert.Null(missing);
        Assert.Equal(b, Assert.Single(await store.ListAsync(Ct)));
    }

    [Fact]
    public async Task RecordUse_OlderTimeOrUnknownId_NeverGoesBack()
    {
        using var data = new TempDirectory("conveyor-keys");
        var store = new FileApiKeyStore(data.Path);
        var key = Key("a", ApiScope.Read);
        await store.TryAddAsync(key, Ct);

        await store.RecordUseAsync(new Dictionary<string, DateTimeOffset> { [key.Id] = Created.AddHours(2), ["cvk_gone0000"] = Created }, Ct);
        await store.RecordUseAsync(new Dictionary<string, DateTimeOffset> { [key.Id] = Created.AddHours(1) }, Ct);

        Assert.Equal(Created.AddHours(2), Assert.Single(await store.ListAsync(Ct)).LastUsedAt);
    }

    [Fact]
    public async Task TryAdd_ManyWritersAtOnce_NoneLost()
    {
        using var data = new TempDirectory("conveyor-keys");

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            await new FileApiKeyStore(data.Path).TryAddAsync(Key($"k{i}", ApiScope.Read), Ct), Ct)));

        Assert.Equal(16, (await new FileApiKeyStore(data.Path).ListAsync(Ct)).Count);
    }

    [Fact]
    public async Task GetVersion_ChangesWithEveryWrite()
    {
        using var data = new TempDirectory("conveyor-keys");
        var store = new FileApiKeyStore(data.Path);
        var none = await store.GetVersionAsync(Ct);
        await store.TryAddAsync(Key("a", ApiScope.Read), Ct);
        var one = await store.GetVersionAsync(Ct);
        await store.TryAddAsync(Key("bb", ApiScope.Read), Ct);
        var two = await store.GetVersionAsync(Ct);

        Assert.Equal(0, none);
        Assert.NotEqual(none, one);
        Assert.NotEqual(one, two);
    }

    [Fact]
    public async Task File_AfterWrite_OwnerOnlyAndHoldsNoSecret()
    {
        using var data = new TempDirectory("conveyor-keys");
        var secret = ApiKeySecret.NewKey();
        await new FileApiKeyStore(data.Path).TryAddAsync(
            new ApiKey(ApiKeySecret.IdOf(secret), "a", ApiScope.Read, ApiKeySecret.Hash(secret), Created, null), Ct);
        var path = Path.Combine(data.Path, FileApiKeyStore.FileName);

        Assert.DoesNotContain(secret, await File.ReadAllTextAsync(path, Ct), StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".tmp"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task List_CorruptFile_ThrowsInvalidData()
    {
        using var data = new TempDirectory("conveyor-keys");
        await File.WriteAllTextAsync(Path.Combine(data.Path, FileApiKeyStore.FileName), "{\"version\":1,\"keys\":[{\"id\":", Ct);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await new FileApiKeyStore(data.Path).ListAsync(Ct));
    }

    private static ApiKey Key(string name, ApiScope scopes)
    {
        var secret = ApiKeySecret.NewKey();
        return new ApiKey(ApiKeySecret.IdOf(secret), name, scopes, ApiKeySecret.Hash(secret), Created, null);
    }
}
