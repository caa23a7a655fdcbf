using NetDsl.LanguageServer.Protocol;
using StreamJsonRpc;

namespace NetDsl.LanguageServer;

/// <summary>
/// Publishes the diagnostics of every workspace file after edits: a new edit within the debounce delay
/// replaces the pending round (cancelling it), an analysis that finishes after a newer edit is dropped, and
/// a file's diagnostics are sent only when they changed.
/// </summary>
internal sealed class DiagnosticsPublisher(JsonRpc rpc, Workspace workspace, TimeSpan debounce)
{
    private readonly SemaphoreSlim publishing = new(1, 1);
    private readonly Dictionary<string, string> published = new(StringComparer.Ordinal);
    private CancellationTokenSource? pending;
    private long publishedVersion = -1;
    private volatile bool stopped;

    public event Action<long>? Published;

    public void Schedule(bool immediately = false)
    {
        if (stopped)
            return;
        var cancellation = new CancellationTokenSource();
        Interlocked.Exchange(ref pending, cancellation)?.Cancel();
        var token = cancellation.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                if (!immediately)
                    await Task.Delay(debounce, token).ConfigureAwait(false);
                var analysis = workspace.Analyze(token);
                await PublishAsync(analysis, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A newer edit took over.
            }
            catch (ConnectionLostException)
            {
                // The client is gone; the host shuts down.
            }
            catch (ObjectDisposedException)
            {
            }
            catch (Exception exception)
            {
                await Console.Error.WriteLineAsync($"netdsl lsp: diagnostics failed: {exception}").ConfigureAwait(false);
            }
        }, CancellationToken.None);
    }

    public void Stop()
    {
        stopped = true;
        Interlocked.Exchange(ref pending, null)?.Cancel();
    }

    private async Task PublishAsync(Analysis analysis, CancellationToken cancellation)
    {
        await publishing.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            // An older analysis that finished late must not overwrite a newer one's diagnostics.
            if (analysis.Version <= publishedVersion || stopped)
                return;
            var current = new HashSet<string>(StringComparer.Ordinal);
            foreach (var document in analysis.Documents)
            {
                current.Add(document.Uri);
                var items = analysis.DiagnosticsOf(document.Path).Select(d => new Diagnostic(
                    new Range(new Position(d.Location.Start.Line, d.Location.Start.Column), new Position(d.Location.End.Line, d.Location.End.Column)),
                    d.IsError ? 1 : 2,
                    d.Code,
                    "netdsl",
                    d.Message)).ToArray();
                string key = document.Version + "\n" + string.Join("\n", items.Select(i => i.ToString()));
                if (published.TryGetValue(document.Uri, out var last) && last == key)
                    continue;
                if (items.Length == 0 && !published.ContainsKey(document.Uri) && document.Version is null)
                    continue;
                published[document.Uri] = key;
                await rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", new PublishDiagnosticsParams(document.Uri, document.Version, items)).ConfigureAwait(false);
            }
            foreach (string gone in published.Keys.Where(uri => !current.Contains(uri)).ToList())
            {
                published.Remove(gone);
                await rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", new PublishDiagnosticsParams(gone, null, [])).ConfigureAwait(false);
            }
            publishedVersion = analysis.Version;
        }
        finally
        {
            publishing.Release();
        }
        Published?.Invoke(analysis.Version);
    }
}
