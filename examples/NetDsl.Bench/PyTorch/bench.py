"""PyTorch eager side of the NetDsl bench (examples/NetDsl.Bench, PyTorchYardstick.cs).

Started once by the bench with the same batch size and thread count; then it times what the bench asks for,
one line per request on stdin, one JSON line per answer on stdout, so the bench can alternate NetDsl and PyTorch
rounds seconds apart. Requests:

    info                              -> torch/torchvision versions, threads, oneDNN state
    load <model> <batch> <c> <h> <w>  -> builds <model> (random weights), reports its parameter count: torchvision's
                                         module where torchvision has it, else the class `netdsl emit --target
                                         pytorch` wrote into the package named by the second argument
    time <model> forward|train <calls> -> mean milliseconds per call over <calls> consecutive calls
    quit

forward: eval mode under torch.no_grad(); train: train mode, forward, cross-entropy, backward, zero_grad(),
exactly as the bench's ModelBenchmark.Forward / ForwardBackward do on the NetDsl side.
"""
import importlib
import json
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
import torchvision

MODELS = {
    "MobileNetV2": lambda: torchvision.models.mobilenet_v2(),
    "ResNet18": lambda: torchvision.models.resnet18(),
}


def emitted_models(package_directory):
    """The networks of a package written by `netdsl emit --target pytorch` (the zoo's .nn files as PyTorch code)."""
    sys.path.insert(0, str(package_directory.parent))
    return importlib.import_module(package_directory.name).MODELS


def reply(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def main():
    threads = int(sys.argv[1])
    emitted = emitted_models(Path(sys.argv[2])) if len(sys.argv) > 2 else {}
    torch.set_num_threads(threads)
    torch.manual_seed(2024)
    loaded = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        command = words[0]
        try:
            if command == "quit":
                return
            if command == "info":
                reply({
                    "torch": torch.__version__,
                    "torchvision": torchvision.__version__,
                    "emitted": sorted(emitted),
                    "threads": torch.get_num_threads(),
                    "mkldnn": torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled,
                    "config": torch.__config__.show().replace("\n", " | "),
                })
            elif command == "load":
                name, batch, c, h, w = words[1], int(words[2]), int(words[3]), int(words[4]), int(words[5])
                model = MODELS[name]() if name in MODELS else emitted[name]()
                inputs = torch.randn(batch, c, h, w)
                targets = torch.randint(0, 10, (batch,))
                loaded[name] = (model, inputs, targets)
                reply({"parameters": sum(p.numel() for p in model.parameters())})
            elif command == "time":
                name, mode, calls = words[1], words[2], int(words[3])
                model, inputs, targets = loaded[name]
                reply({"ms": time_calls(model, inputs, targets, mode, calls)})
            else:
                reply({"error": f"unknown request {command}"})
        except Exception as e:  # the bench prints it and stops asking
            reply({"error": f"{type(e).__name__}: {e}"})


def time_calls(model, inputs, targets, mode, calls):
    if mode == "forward":
        model.eval()
        with torch.no_grad():
            start = time.perf_counter()
            for _ in range(calls):
                model(inputs)
            return (time.perf_counter() - start) * 1000 / calls
    if mode == "train":
        model.train()
        start = time.perf_counter()
        for _ in range(calls):
            loss = F.cross_entropy(model(inputs), targets)
            loss.backward()
            model.zero_grad()
        return (time.perf_counter() - start) * 1000 / calls
    raise ValueError(f"mode must be forward or train, not {mode}")


if __name__ == "__main__":
    main()
