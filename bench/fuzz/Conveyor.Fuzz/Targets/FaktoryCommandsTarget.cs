using System.Buffers;
using System.Text;
using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Broker.Workers;
using Conveyor.Core.Storage;
using Conveyor.Protocol.Faktory;
using Conveyor.Server.Faktory;
using Conveyor.Server.Hosting;
using Conveyor.Server.Security;
using Conveyor.Storage.Embedded;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Security;
using Conveyor.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Conveyor.Fuzz.Targets;

/// <summary>
/// The Faktory command handlers: the input is a client's byte stream after the greeting. Each line goes through
/// <see cref="FaktoryParser"/>, then HELLO through <see cref="FaktoryHandshake"/> and every other verb through
/// <see cref="FaktoryVerbTable"/> against a real broker over an embedded store on an in-memory device, on a fake clock.
/// A crash is what the connection would log and answer <c>-ERR internal error</c> for: any exception but those it turns
/// into a clear <c>-ERR</c> (<see cref="FaktoryConnectionHandler"/>). The store is made anew every <see cref="ResetEvery"/> inputs.
/// </summary>
internal sealed class FaktoryCommandsTarget : IFuzzTarget
{
    private const int ResetEvery = 2_000;
    private const int MaxCommands = 64;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    private Backend? backend;
    private int runs;

    public string Name => "faktory";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (backend is null || ++runs % ResetEvery == 0)
        {
            backend?.Dispose();
            backend = new Backend();
        }

        var session = new FaktorySession(backend.Runtime, backend.Workers, backend.Server);
        var handshake = new FaktoryHandshake(null, backend.Keys, refuseWithoutKeys: false);
        var output = new ArrayBufferWriter<byte>();
        handshake.WriteGreeting(output);
        var buffer = new ReadOnlySequence<byte>(input.ToArray());
        for (var i = 0; i < MaxCommands; i++)
        {
            if (FaktoryParser.TryParse(ref buffer, 1 << 20, out var line) != ParseStatus.Command)
            {
                return;
            }

            if (line.Verb == "HELLO")
            {
                _ = handshake.Accept(line, session, backend.Workers);
                continue;
            }

            var reply = Execute(line, session);
            if (reply.Kind == FaktoryReplyKind.Close)
            {
                return;
            }

            reply.WriteTo(output);
        }
    }

    private FaktoryReply Execute(FaktoryCommandLine line, FaktorySession session)
    {
        if (!FaktoryVerbTable.Verbs.TryGetValue(line.Verb, out var verb))
        {
            return FaktoryReply.Error("unknown command");
        }

        try
        {
            var pending = verb.ExecuteAsync(session, line.Payload, CancellationToken.None).AsTask();
            // A FETCH of an empty queue waits on the clock: move it until the wait is over.
            for (var turns = 0; !pending.Wait(TimeSpan.FromMilliseconds(turns < 4 ? 0 : 1)); turns++)
            {
                backend!.Time.Advance(Step);
                if (turns > 10_000)
                {
                    throw new TimeoutException($"{line.Verb} did not finish");
                }
            }

            return pending.GetAwaiter().GetResult();
        }
        catch (AggregateException ex) when (ex.InnerException is { } inner && IsClientError(inner))
        {
            return FaktoryReply.Error(inner.Message);
        }
        catch (Exception ex) when (IsClientError(ex))
        {
            return FaktoryReply.Error(ex.Message);
        }
    }

    /// <summary>The exceptions <see cref="FaktoryConnectionHandler"/> answers with a clear <c>-ERR</c>.</summary>
    private static bool IsClientError(Exception ex) =>
        ex is FaktoryVerbException or RequestRejectedException or ServiceNotReadyException or StorageUnavailableException
            or JsonException or JobIdConflictException;

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("worker.txt", Text("""
            HELLO {"v":2,"wid":"w1","hostname":"h","pid":7,"labels":["x"]}
            PUSH {"jid":"j1","jobtype":"email","args":[1,"a"],"queue":"default","retry":3,"custom":{"k":"v"}}
            FETCH default
            ACK {"jid":"j1"}
            BEAT {"wid":"w1"}
            END
            """));
        yield return ("fail.txt", Text("""
            HELLO {"v":2,"wid":"w2"}
            PUSH {"jid":"j2","jobtype":"t","args":[],"reserve_for":60,"priority":7}
            FETCH default other
            FAIL {"jid":"j2","errtype":"RuntimeError","message":"boom","backtrace":["a.rb:1"]}
            INFO
            """));
        yield return ("batch.txt", Text("""
            HELLO {"v":2}
            PUSHB [{"jid":"b1","jobtype":"t","args":[1]},{"jobtype":"t","args":[2],"at":"2030-01-01T00:00:00Z"}]
            QUEUE PAUSE default
            QUEUE RESUME default
            QUEUE REMOVE empty
            MUTATE {"cmd":"kill","target":"scheduled","filter":{"jobtype":"t","regexp":"*b*"}}
            MUTATE {"cmd":"requeue","target":"dead"}
            FLUSH
            """));
    }

    private static byte[] Text(string lines) => Encoding.UTF8.GetBytes(lines.ReplaceLineEndings("\r\n") + "\r\n");

    /// <summary>A broker over an embedded store on an in-memory device, with the services a Faktory session uses.</summary>
    private sealed class Backend : IDisposable
    {
        private readonly string keysDirectory = Directory.CreateTempSubdirectory("conveyor-fuzz-keys").FullName;
        private readonly EmbeddedJobStore store;

        public Backend()
        {
            store = EmbeddedJobStore.Open(
                new EmbeddedStoreOptions { Durability = DurabilityMode.None, SnapshotOnClose = false, SegmentBytes = 1 << 20 },
                new JobStoreSettings { Time = Time, Random = new Random(7) },
                new MemoryStorageDevice { CanPreallocate = false });
            var broker = new JobBroker(store, Time, Options.Create(new BrokerOptions()), NullLogger<JobBroker>.Instance);
            Runtime.SetReady(broker);
            Workers = new WorkerRegistry(Time);
            Server = new FaktoryServerState(Time);
            Keys = new ApiKeyRegistry(new FileApiKeyStore(keysDirectory), Time, NullLogger<ApiKeyRegistry>.Instance);
        }

        public FakeTimeProvider Time { get; } = new();

        public BrokerRuntime Runtime { get; } = new();

        public WorkerRegistry Workers { get; }

        public FaktoryServerState Server { get; }

        public ApiKeyRegistry Keys { get; }

        public void Dispose()
        {
            Runtime.Broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(keysDirectory, recursive: true);
        }
    }
}
