"""Builds networks of a package written by `netdsl emit --target pytorch`, loads the C# modules' weights into them
and runs them: the other half of tests/NetDsl.Zoo.Tests/EmittedPyTorchTests.cs.

    run_emitted_pytorch.py PACKAGE_DIR WORK_DIR NAME...

For each NAME: builds MODELS[NAME]() with its defaults, loads WORK_DIR/NAME.pt (the C# module's state dict, saved
under NetDsl's names) with strict=True, runs WORK_DIR/NAME.input.npy through it in eval mode and saves the output as
WORK_DIR/NAME.output.0.npy; a network with several outputs returns a NamedTuple, and output i goes to
WORK_DIR/NAME.output.i.npy. Prints one JSON object: per name the parameter count, the state-dict keys in PyTorch's
order, the shape the module computed for its (first) output, the shapes of all its outputs, and the names of the
NamedTuple's fields (null for one output).
"""

import importlib
import json
import sys
from pathlib import Path

import numpy
import torch


def main(package_directory, work, names):
    sys.path.insert(0, str(package_directory.parent))
    package = importlib.import_module(package_directory.name)
    torch.set_num_threads(1)
    results = {}
    for name in names:
        model = package.MODELS[name]()
        results[name] = {
            "parameters": sum(p.numel() for p in model.parameters()),
            "keys": list(model.state_dict().keys()),
            "shape": list(model.shape),
            "shapes": [list(shape) for shape in getattr(model, "shapes", [model.shape])],
        }
        model.load_state_dict(torch.load(work / f"{name}.pt"), strict=True)
        model.eval()
        with torch.no_grad():
            output = model(torch.from_numpy(numpy.load(work / f"{name}.input.npy")))
        outputs = list(output) if isinstance(output, tuple) else [output]
        results[name]["outputs"] = list(output._fields) if isinstance(output, tuple) else None
        for i, tensor in enumerate(outputs):
            numpy.save(work / f"{name}.output.{i}.npy", tensor.numpy())
        del model, output, outputs
    print(json.dumps(results))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
