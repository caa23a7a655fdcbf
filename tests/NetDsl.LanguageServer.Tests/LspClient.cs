using System.Collections.Concurrent;
using Nerdbank.Streams;
using NetDsl.LanguageServer.Protocol;
using StreamJsonRpc;

namespace NetDsl.LanguageServer.Tests;

/// <summary>
/// An editor's side of the protocol: a JSON-RPC connection (Content-Length framing, as over stdio) to a server
/// running in-process on the other end of an in-memory duplex stream. It records every publishDiagnostics.
/// </summary>
internal sealed class LspClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly JsonRpc rpc;
    private readonly Stream clientStream;
    private readonly ConcurrentQueue<PublishDiagnosticsParams> diagnostics = new();
    private readonly SemaphoreSlim arrived = new(0);

    private LspClient(Stream clientStream, Task<int> server)
    {
        this.clientStream = clientStream;
        Server = server;
        rpc = new JsonRpc(new HeaderDelimitedMessageHandler(clientStream, clientStream, LanguageServerHost.CreateFormatter()));
        rpc.AddLocalRpcTarget(new Sink(this), new JsonRpcTargetOptions { NotifyClientOfEvents = false });
        rpc.StartListening();
    }

    /// <summary>The server's run: completes with its exit code.</summary>
    public Task<int> Server { get; }

    public static LspClient Start(TimeSpan? debounce = null)
    {
        var (client, server) = FullDuplexStream.CreatePair();
        var run = Task.Run(() => LanguageServerHost.RunAsync(server, server, debounce));
        return new LspClient(client, run);
    }

    /// <summary>Starts a server and initializes it with <paramref name="root"/> as the workspace folder.</summary>
    public static async Task<LspClient> InitializedAsync(string? root, object? initializationOptions = null)
    {
        var client = Start();
        await client.RequestAsync<InitializeResult>("initialize", new
        {
            processId = (int?)null,
            rootUri = root is null ? null : DocumentPaths.ToUri(root),
            capabilities = new { },
            initializationOptions,
        });
        await client.NotifyAsync("initialized", new { });
        return client;
    }

    public Task<T> RequestAsync<T>(string method, object? parameters) =>
        rpc.InvokeWithParameterObjectAsync<T>(method, parameters).WaitAsync(Timeout);

    public Task NotifyAsync(string method, object? parameters) => rpc.NotifyWithParameterObjectAsync(method, parameters);

    public Task OpenAsync(string path, string text, int version = 1) =>
        NotifyAsync("textDocument/didOpen", new DidOpenTextDocumentParams(new TextDocumentItem(DocumentPaths.ToUri(path), "netdsl", version, text)));

    public Task ChangeAsync(string path, int version, params TextDocumentContentChangeEvent[] changes) =>
        NotifyAsync("textDocument/didChange", new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(DocumentPaths.ToUri(path), version), changes));

    /// <summary>Waits for a publishDiagnostics of <paramref name="path"/> that satisfies <paramref name="accept"/>.</summary>
    public async Task<PublishDiagnosticsParams> DiagnosticsAsync(string path, Func<PublishDiagnosticsParams, bool>? accept = null)
    {
        string uri = DocumentPaths.ToUri(path);
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var match = diagnostics.LastOrDefault(d => d.Uri == uri && (accept?.Invoke(d) ?? true));
            if (match is not null)
                return match;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await arrived.WaitAsync(left))
                throw new TimeoutException($"no matching diagnostics for {path}; got: {string.Join("; ", diagnostics.Select(d => d.Uri + " v" + d.Version + " " + d.Diagnostics.Length))}");
        }
    }

    public IReadOnlyCollection<PublishDiagnosticsParams> AllDiagnostics => diagnostics;

    /// <summary>shutdown then exit, as an editor closes; returns the server's exit code.</summary>
    public async Task<int> ShutdownAsync()
    {
        await RequestAsync<object?>("shutdown", null);
        await NotifyAsync("exit", null);
        return await Server.WaitAsync(Timeout);
    }

    /// <summary>Drops the connection without shutdown, like an editor that crashed.</summary>
    public async Task<int> DisconnectAsync()
    {
        rpc.Dispose();
        await clientStream.DisposeAsync();
        return await Server.WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        rpc.Dispose();
        await clientStream.DisposeAsync();
        try
        {
            await Server.WaitAsync(Timeout);
        }
        catch (Exception)
        {
            // The test's own assertions report what matters.
        }
    }

    private sealed class Sink(LspClient client)
    {
        [JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
        public void Publish(PublishDiagnosticsParams parameters)
        {
            client.diagnostics.Enqueue(parameters);
            client.arrived.Release();
        }
    }
}

/// <summary>A temporary workspace folder with <c>.nn</c> files.</summary>
internal sealed class TempWorkspace : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("netdsl-lsp-").FullName;

    public string Write(string name, string text)
    {
        string path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

internal static class TextExtensions
{
    /// <summary>The LSP position of the <paramref name="nth"/> occurrence of <paramref name="marker"/> in <paramref name="text"/>, plus <paramref name="delta"/> characters.</summary>
    public static Position PositionOf(this string text, string marker, int delta = 0, int nth = 0)
    {
        int offset = -1;
        for (int i = 0; i <= nth; i++)
            offset = text.IndexOf(marker, offset + 1, StringComparison.Ordinal);
        if (offset < 0)
            throw new ArgumentException($"'{marker}' not in text");
        offset += delta;
        int line = text[..offset].Count(c => c == '\n');
        int column = offset - (text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1);
        if (line == 0)
            column = offset;
        return new Position(line, column);
    }
}
