using System.Collections.Concurrent;
using System.Diagnostics;
using Nerdbank.Streams;
using NetDsl.LanguageServer;
using NetDsl.LanguageServer.Protocol;
using StreamJsonRpc;

namespace NetDsl.Bench.Editor;

/// <summary>How long an editor waits for diagnostics after an edit, on the zoo as the workspace.</summary>
public sealed record DiagnosticsLatency(int Files, int Edits, TimeSpan Debounce, double MedianMs, double P90Ms, double MaxMs);

/// <summary>
/// The language server in-process, driven over an in-memory duplex stream with the protocol's framing, as an
/// editor drives it: the zoo is the workspace, mobilenet_v2.nn is open, and each edit (a didChange of the
/// width default, alternately 1.0 and 1.5, so every edit changes the figures) is timed from sending it to
/// receiving the publishDiagnostics of that document version. The debounce delay is part of the figure.
/// </summary>
public sealed class DiagnosticsLatencyBenchmark
{
    private const string EditedFile = "mobilenet_v2.nn";
    private const string Default = "width: float = 1.0";

    public static async Task<DiagnosticsLatency> MeasureAsync(string zooDirectory, int edits)
    {
        string workspace = Directory.CreateTempSubdirectory("netdsl-bench-lsp-").FullName;
        try
        {
            foreach (string file in Directory.GetFiles(zooDirectory, "*.nn"))
                File.Copy(file, Path.Combine(workspace, Path.GetFileName(file)));
            string path = Path.Combine(workspace, EditedFile);
            string uri = new Uri(path).AbsoluteUri;
            string text = File.ReadAllText(path);
            var at = Locate(text, Default);

            var (clientStream, serverStream) = FullDuplexStream.CreatePair();
            var server = Task.Run(() => LanguageServerHost.RunAsync(serverStream, serverStream));
            var sink = new Sink();
            using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(clientStream, clientStream, LanguageServerHost.CreateFormatter()));
            rpc.AddLocalRpcTarget(sink, new JsonRpcTargetOptions { NotifyClientOfEvents = false });
            rpc.StartListening();

            await rpc.InvokeWithParameterObjectAsync<InitializeResult>("initialize", new { processId = (int?)null, rootUri = new Uri(workspace).AbsoluteUri, capabilities = new { } });
            await rpc.NotifyWithParameterObjectAsync("initialized", new { });
            await rpc.NotifyWithParameterObjectAsync("textDocument/didOpen", new DidOpenTextDocumentParams(new TextDocumentItem(uri, "netdsl", 1, text)));
            await sink.WaitAsync(uri, 1);

            var latencies = new List<double>();
            int warmup = 3;
            for (int i = 0; i < edits + warmup; i++)
            {
                int version = i + 2;
                string value = i % 2 == 0 ? "1.5" : "1.0";
                var change = new TextDocumentContentChangeEvent(at, value);
                var clock = Stopwatch.StartNew();
                await rpc.NotifyWithParameterObjectAsync("textDocument/didChange",
                    new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, version), [change]));
                await sink.WaitAsync(uri, version);
                if (i >= warmup)
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
            }

            await rpc.InvokeWithParameterObjectAsync<object?>("shutdown", null);
            await rpc.NotifyWithParameterObjectAsync("exit", null);
            await server;
            latencies.Sort();
            return new DiagnosticsLatency(Directory.GetFiles(workspace, "*.nn").Length, latencies.Count, LanguageServerHost.DefaultDebounce,
                Rank(latencies, 0.5), Rank(latencies, 0.9), latencies[^1]);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    private static double Rank(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The range of the default's value ("1.0") in the text.</summary>
    private static NetDsl.LanguageServer.Protocol.Range Locate(string text, string marker)
    {
        int offset = text.IndexOf(marker, StringComparison.Ordinal) + marker.Length - 3;
        int line = text[..offset].Count(c => c == '\n');
        int column = offset - (text.LastIndexOf('\n', offset - 1) + 1);
        return new NetDsl.LanguageServer.Protocol.Range(new Position(line, column), new Position(line, column + 3));
    }

    private sealed class Sink
    {
        private readonly ConcurrentDictionary<(string, int), TaskCompletionSource> waiting = new();

        [JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
        public void Publish(PublishDiagnosticsParams parameters)
        {
            if (parameters.Version is { } version)
                Completion(parameters.Uri, version).TrySetResult();
        }

        public Task WaitAsync(string uri, int version) => Completion(uri, version).Task.WaitAsync(TimeSpan.FromSeconds(30));

        private TaskCompletionSource Completion(string uri, int version) =>
            waiting.GetOrAdd((uri, version), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
