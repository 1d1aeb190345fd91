using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Conveyor.Protocol.Faktory.Tests;

public sealed class FaktoryPasswordTests
{
    [Fact]
    public void Hash_OneIteration_Sha256OfPasswordAndSalt()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("secret" + "salty")));

        Assert.Equal(expected, FaktoryPassword.Hash("secret", "salty", 1));
    }

    [Fact]
    public void Hash_ThreeIterations_RehashesTheRawDigest()
    {
        var digest = SHA256.HashData(SHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes("pw" + "s"))));

        Assert.Equal(Convert.ToHexStringLower(digest), FaktoryPassword.Hash("pw", "s", 3));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("0000", false)]
    public void Verify_WrongProof_False(string? proof, bool expected)
    {
        Assert.Equal(expected, FaktoryPassword.Verify("pw", "salt", 10, proof));
    }

    [Fact]
    public void Verify_RightProof_TrueInAnyCase()
    {
        var proof = FaktoryPassword.Hash("pw", "salt", 10);

        Assert.True(FaktoryPassword.Verify("pw", "salt", 10, proof));
        Assert.True(FaktoryPassword.Verify("pw", "salt", 10, proof.ToUpperInvariant()));
        Assert.False(FaktoryPassword.Verify("other", "salt", 10, proof));
    }
}
