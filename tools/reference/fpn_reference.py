#!/usr/bin/python3
"""Runs the ResNet18FPN reference (graph_references.py: torchvision resnet18 body + FeaturePyramidNetwork) on
given weights and input, for comparing the zoo's ResNet18FPN with torchvision's.

Run with Debian's python3 (torch 1.13 + torchvision 0.14 from `apt-get install python3-torchvision`):

    /usr/bin/python3 tools/reference/fpn_reference.py --keys
    /usr/bin/python3 tools/reference/fpn_reference.py WEIGHTS.pt INPUT.npy OUT_DIR

--keys prints the module's state-dict keys, one a line, in state_dict() order (parameters and batch-norm buffers,
num_batches_tracked included): the names WEIGHTS.pt must use, e.g. body.conv1.weight, fpn.inner_blocks.0.0.weight.

WEIGHTS.pt  a state dict saved with torch.save (or TorchSharp.PyBridge) under exactly those keys; loaded with
            strict=True, so every key must be there with torchvision's shape.
INPUT.npy   float32 N x 3 x H x W in C order (numpy.save, or NetDsl's NpyFile.Write).
OUT_DIR     created if missing; receives p2.npy, p3.npy, p4.npy, p5.npy (float32, N x 256 x H/4 x W/4 ...
            N x 256 x H/32 x W/32: torchvision's outputs "0", "1", "2", "3", strides 4, 8, 16 and 32).

The module runs in eval mode without gradients, on one thread. On success it prints one JSON object: the
parameter count and each output's shape. On bad input it exits with status 1 and one line on stderr.
"""
import argparse
import json
import os
import sys

import numpy
import torch

from graph_references import ResNet18FPN

OUTPUTS = {"0": "p2", "1": "p3", "2": "p4", "3": "p5"}  # torchvision's output name -> file name


class InputError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.exit(f"fpn_reference.py: error: {message} (usage: fpn_reference.py --keys | WEIGHTS.pt INPUT.npy OUT_DIR)")


def load_weights(model, path):
    try:
        state = torch.load(path, map_location="cpu")
    except FileNotFoundError:
        raise InputError(f"{path} does not exist")
    except Exception as e:  # torch.load raises many kinds on a file it cannot read
        raise InputError(f"{path} is not a file torch.load reads ({type(e).__name__}: {e})".replace("\n", " "))
    if not isinstance(state, dict) or not all(isinstance(k, str) and torch.is_tensor(v) for k, v in state.items()):
        raise InputError(f"{path} holds a {type(state).__name__}, not a state dict of named tensors")
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing key(s): {', '.join(missing[:5])}" + (", ..." if len(missing) > 5 else ""))
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected key(s): {', '.join(unexpected[:5])}" +
                         (", ..." if len(unexpected) > 5 else ""))
        raise InputError(f"{path}: {'; '.join(parts)} (fpn_reference.py --keys lists the expected keys)")
    for key, value in expected.items():
        if state[key].shape != value.shape:
            raise InputError(f"{path}: {key} has shape {list(state[key].shape)}, expected {list(value.shape)}")
    model.load_state_dict(state, strict=True)


def load_input(path):
    try:
        array = numpy.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist")
    except Exception as e:
        raise InputError(f"{path} is not a NumPy .npy file ({type(e).__name__}: {e})".replace("\n", " "))
    if not isinstance(array, numpy.ndarray):
        raise InputError(f"{path} is not a single .npy array")
    if array.dtype != numpy.float32:
        raise InputError(f"{path} holds {array.dtype}, not float32")
    if array.ndim != 4 or array.shape[1] != 3 or 0 in array.shape:
        raise InputError(f"{path} has shape {list(array.shape)}, expected N x 3 x H x W")
    return torch.from_numpy(numpy.ascontiguousarray(array))


def main():
    ap = Parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keys", action="store_true", help="print the state-dict keys, one a line, and exit")
    ap.add_argument("files", nargs="*", metavar="WEIGHTS.pt INPUT.npy OUT_DIR")
    args = ap.parse_args()
    model = ResNet18FPN()
    if args.keys:
        if args.files:
            ap.error("--keys takes no files")
        print("\n".join(model.state_dict().keys()))
        return
    if len(args.files) != 3:
        ap.error(f"expected WEIGHTS.pt INPUT.npy OUT_DIR, got {len(args.files)} argument(s)")
    weights, input_path, out_dir = args.files
    torch.set_num_threads(1)
    try:
        load_weights(model, weights)
        x = load_input(input_path)
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as e:
            raise InputError(f"cannot create {out_dir} ({e.strerror})")
    except InputError as e:
        sys.exit(f"fpn_reference.py: error: {e}")
    model.eval()
    with torch.no_grad():
        outputs = model(x)
    shapes = {}
    for name, file in OUTPUTS.items():
        y = outputs[name].contiguous().numpy().astype(numpy.float32)
        numpy.save(os.path.join(out_dir, f"{file}.npy"), y)
        shapes[file] = list(y.shape)
    print(json.dumps({"parameters": sum(p.numel() for p in model.parameters()), "outputs": shapes}))


if __name__ == "__main__":
    main()
