using NetDsl.Examples;
using NetDsl.Examples.Commands;
using Spectre.Console;

// Before any convolution: NetDsl.Runtime's libtorch settings (oneDNN and NNPACK convolutions off; see
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
// Piped to a file or a pager, tables would otherwise wrap at Spectre's default of 80 columns.
if (Console.IsOutputRedirected)
    AnsiConsole.Console.Profile.Width = Math.Max(AnsiConsole.Console.Profile.Width, 160);
return ExamplesCommandLine.Run(args, AnsiConsole.Console, Console.Error, cancellation.Token);
