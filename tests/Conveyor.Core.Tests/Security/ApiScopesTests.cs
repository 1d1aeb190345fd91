using Conveyor.Core.Security;
using Xunit;

namespace Conveyor.Core.Tests.Security;

public sealed class ApiScopesTests
{
    [Theory]
    [InlineData("produce,work", ApiScope.Produce | ApiScope.Work)]
    [InlineData(" Read , ADMIN ", ApiScope.Read | ApiScope.Admin)]
    [InlineData("read,read", ApiScope.Read)]
    public void TryParse_KnownNames_TheSet(string text, ApiScope expected)
    {
        Assert.True(ApiScopes.TryParse(text, out var scopes));
        Assert.Equal(expected, scopes);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",")]
    [InlineData("read,root")]
    [InlineData(null)]
    public void TryParse_EmptyOrUnknown_False(string? text)
    {
        Assert.False(ApiScopes.TryParse(text, out var scopes));
        Assert.Equal(ApiScope.None, scopes);
    }

    [Theory]
    [InlineData(ApiScope.Admin, ApiScope.Work, true)]
    [InlineData(ApiScope.Admin, ApiScope.Produce | ApiScope.Work, true)]
    [InlineData(ApiScope.Produce | ApiScope.Work, ApiScope.Produce | ApiScope.Work, true)]
    [InlineData(ApiScope.Produce, ApiScope.Produce | ApiScope.Work, false)]
    [InlineData(ApiScope.Read | ApiScope.Produce | ApiScope.Work, ApiScope.Admin, false)]
    [InlineData(ApiScope.Read, ApiScope.Work, false)]
    public void Grants_HeldAndNeeded_AdminHoldsAll(ApiScope held, ApiScope needed, bool expected) =>
        Assert.Equal(expected, held.Grants(needed));

    [Fact]
    public void Format_Set_InFixedOrder() =>
        Assert.Equal("read,work,admin", ApiScopes.Format(ApiScope.Admin | ApiScope.Work | ApiScope.Read));

    [Fact]
    public void NewKey_Twice_DifferentPrefixedAndHashedStably()
    {
        var a = ApiKeySecret.NewKey();
        var b = ApiKeySecret.NewKey();

        Assert.NotEqual(a, b);
        Assert.Matches("^cvk_[A-Za-z0-9_-]{43}$", a);
        Assert.Equal(a[..12], ApiKeySecret.IdOf(a));
        Assert.Equal(ApiKeySecret.Hash(a), ApiKeySecret.Hash(a));
        Assert.Matches("^[0-9a-f]{64}$", ApiKeySecret.Hash(a));
    }
}
