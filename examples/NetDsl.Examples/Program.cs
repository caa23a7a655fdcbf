using NetDsl.Examples;
using NetDsl.Examples.Commands;
using Spectre.Console;

// Before any convolution: NetDsl.Runtime's libtorch settings (oneDNN where its self-check passes; see
// runtime/NetDsl.Runtime/TorchEnvironment.cs), then this program's allocator policy for ATen's kernels.
NetDsl.Runtime.TorchEnvironment.Initialize();
NativeAllocator.KeepFreedMemory();

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C asks training to stop after its batch (the checkpoint keeps the last epoch); a second one ends the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};
// Piped to a file, a pager or a CI log: plain text (Spectre would still write colour codes where TERM allows them),
// and tables 160 columns wide rather than wrapped at Spectre's default of 80.
var console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(Console.Out),
    });
    console.Profile.Width = Math.Max(console.Profile.Width, 160);
}
return ExamplesCommandLine.Run(args, console, Console.Error, cancellation.Token);
