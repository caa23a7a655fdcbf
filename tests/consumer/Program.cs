using Consumer;
using TorchSharp;

// Tiny comes from Models/Tiny.nn, generated at compile time.
using var net = new Tiny(classes: 10);
net.eval();
using var input = torch.randn(2, 1, 28, 28);
using var output = net.call(input);
Console.WriteLine($"Tiny: {net.InputShape} -> {net.OutputShape}, output [{string.Join(", ", output.shape)}], head {net.Head.GetType().Name}");
