using System.Text.Json;
using System.Text.Json.Serialization;
using StreamJsonRpc;

namespace NetDsl.LanguageServer;

/// <summary>Runs the language server over a pair of streams (stdin/stdout for <c>netdsl lsp</c>, in-memory pipes in tests).</summary>
public static class LanguageServerHost
{
    /// <summary>Edits closer together than this are analysed once (the last one).</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Serves until the client sends <c>exit</c> or disconnects. Returns the process exit code the protocol asks
    /// for: 0 after <c>shutdown</c> then <c>exit</c>, 1 otherwise (including a lost connection).
    /// </summary>
    public static async Task<int> RunAsync(Stream input, Stream output, TimeSpan? debounce = null, Action<long>? diagnosticsPublished = null)
    {
        using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, CreateFormatter()));
        using var server = new NetDslLanguageServer(rpc, debounce ?? DefaultDebounce, diagnosticsPublished);
        rpc.AddLocalRpcTarget(server, new JsonRpcTargetOptions { DisposeOnDisconnect = false, NotifyClientOfEvents = false });
        rpc.StartListening();
        try
        {
            await Task.WhenAny(rpc.Completion, server.Exited).ConfigureAwait(false);
        }
        finally
        {
            server.Dispose();
        }
        return server.Exited.IsCompleted && server.ShutdownRequested ? 0 : 1;
    }

    /// <summary>JSON as LSP spells it: camelCase members, absent rather than null.</summary>
    public static SystemTextJsonFormatter CreateFormatter()
    {
        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        formatter.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return formatter;
    }
}
