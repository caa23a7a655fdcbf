using TorchSharp;
using static TorchSharp.torch;

// Grows with the zoo and the training work (issues 6 and 7); for now it proves the backend loads.
Console.WriteLine("NetDsl examples");
Console.WriteLine($"TorchSharp backend: libtorch on {(cuda.is_available() ? "CUDA" : "CPU")}, {get_num_threads()} threads");
using var input = randn(1, 3, 32, 32);
using var conv = nn.Conv2d(3, 16, 3, padding: 1);
using var output = conv.call(input);
Console.WriteLine($"conv2d 3->16, k3: [{string.Join(", ", input.shape)}] -> [{string.Join(", ", output.shape)}]");
