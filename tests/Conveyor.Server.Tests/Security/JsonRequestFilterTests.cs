using Conveyor.Server.Security;

namespace Conveyor.Server.Tests.Security;

/// <summary>The media-type check of state-changing requests, on the header's text.</summary>
public sealed class JsonRequestFilterTests
{
    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=utf-8")]
    [InlineData(" application/json ")]
    public void IsJson_JsonMediaType_True(string contentType) => Assert.True(JsonRequestFilter.IsJson(contentType));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("application/jsonp")]
    [InlineData("application/json-patch+json")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/jso")]
    public void IsJson_OtherMediaType_False(string? contentType) => Assert.False(JsonRequestFilter.IsJson(contentType));
}
