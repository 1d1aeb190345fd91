using System.Net.Sockets;
using System.Text;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>A minimal Faktory client over a raw socket: send a line, read one RESP reply as text (bulk → its body, null bulk → null).</summary>
internal sealed class RawFaktoryClient : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly StreamReader reader;
    private readonly Stream stream;

    private RawFaktoryClient(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
        reader = new StreamReader(stream, new UTF8Encoding(false), false, 1 << 16);
    }

    public static async Task<RawFaktoryClient> ConnectAsync(int port, CancellationToken cancellationToken = default, string host = "127.0.0.1")
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port, cancellationToken);
        return new RawFaktoryClient(tcp);
    }

    /// <summary>Connects and completes the handshake without a password.</summary>
    public static async Task<RawFaktoryClient> OpenAsync(int port, string hello = "{\"hostname\":\"test\",\"v\":2}")
    {
        var client = await ConnectAsync(port);
        Assert.Equal("+HI {\"v\":2}", await client.ReadLineAsync());
        Assert.Equal("+OK", await client.SendAsync("HELLO " + hello));
        return client;
    }

    public async Task<string?> SendAsync(string line)
    {
        await SendRawAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>Sends a line given as bytes (which need not be UTF-8) and reads one reply.</summary>
    public async Task<string?> SendAsync(byte[] line)
    {
        await stream.WriteAsync(line);
        await stream.WriteAsync("\r\n"u8.ToArray());
        await stream.FlushAsync();
        return await ReadReplyAsync();
    }

    public async Task SendRawAsync(string text)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await stream.FlushAsync();
    }

    public Task<string?> ReadLineAsync() => reader.ReadLineAsync(TestContext.Current.CancellationToken).AsTask();

    /// <summary>One reply: <c>+X</c> and <c>-ERR X</c> as written, a bulk string's body, null for the null bulk or a closed socket.</summary>
    public async Task<string?> ReadReplyAsync()
    {
        var line = await ReadLineAsync();
        if (line is null || !line.StartsWith('$'))
        {
            return line;
        }

        var length = int.Parse(line[1..], System.Globalization.CultureInfo.InvariantCulture);
        if (length < 0)
        {
            return null;
        }

        var body = await ReadLineAsync();
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await stream.DisposeAsync();
        tcp.Dispose();
    }
}
