#!/usr/bin/env python3
"""Train a NetDsl zoo network on the bundled digits with PyTorch's DistributedDataParallel.

The network comes from the same `.nn` files the .NET build reads: this script runs
`netdsl emit --target pytorch` on examples/models (through `dotnet run`, so a fresh clone with the .NET SDK
and PyTorch is enough), imports the emitted package and trains one replica per process. It reads
examples/data/digits.bin itself (the format is in examples/data/README.md).

    python3 examples/pytorch/train_ddp.py --model MultiPathNet_Digits --processes 2 --epochs 1 --out digits.pt

Launched by torchrun (RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT set), it joins that process group, so it
runs across GPUs and nodes as any DDP script does; otherwise it starts --processes workers itself with
torch.multiprocessing on this machine (gloo on 127.0.0.1; NCCL when every worker has a GPU). It prints
`accuracy: NN.NN%` on the 2,000 held-out digits and saves the state dict under NetDsl's names, which
`dotnet run --project examples/NetDsl.Examples -- eval --model NAME --checkpoint FILE.pt` evaluates to the
same accuracy.
"""

import argparse
import importlib
import os
import socket
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

REPOSITORY = Path(__file__).resolve().parents[2]
DIGITS = REPOSITORY / "examples" / "data" / "digits.bin"
MODELS = REPOSITORY / "examples" / "models"
CLI = REPOSITORY / "dsl" / "NetDsl.Cli"
PACKAGE = "netdsl_zoo"

# The .NET trainer's normalisation and defaults (examples/NetDsl.Examples: MnistNormalization, TrainingOptions).
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


class UsageError(Exception):
    """Bad input: reported as one line, exit code 1 or 2, no stack trace."""

    def __init__(self, message, exit_code=1):
        super().__init__(message)
        self.exit_code = exit_code


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a zoo network that takes 1x28x28 digits and gives 10 classes")
    parser.add_argument("--processes", type=int, default=2, help="workers to start when not launched by torchrun")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--out", required=True, type=Path, help="where to save the trained state dict (.pt)")
    parser.add_argument("--batch-size", type=int, default=64, help="per process")
    parser.add_argument("--lr", type=float, default=2e-3, help="Adam's learning rate, x0.7 after every epoch")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--models-dir", type=Path, default=None,
                        help="an already emitted package (netdsl emit --target pytorch -o DIR); default: emit it now")
    arguments = parser.parse_args(argv)
    if arguments.processes < 1 or arguments.epochs < 1 or arguments.batch_size < 1 or not arguments.lr > 0:
        raise UsageError("--processes, --epochs and --batch-size must be at least 1, and --lr above 0", 2)
    return arguments


def read_digits(path=DIGITS):
    """Images float32 [N, 1, 28, 28] (normalised as the .NET trainer does) and labels int64 [N], split train/test."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read the digits file ({error.strerror})")
    if len(data) < 32 or data[:4] != b"NDIG":
        raise UsageError(f"{path}: not a digits file (no NDIG header)")
    version, rows, cols, classes, count, train, inflated, compressed, crc = struct.unpack_from("<4H5I", data, 4)
    if version != 1 or len(data) != 32 + compressed or inflated != count * (1 + rows * cols) or train > count:
        raise UsageError(f"{path}: damaged digits file (header and length disagree)")
    try:
        payload = zlib.decompress(data[32:], -15)
    except zlib.error as error:
        raise UsageError(f"{path}: damaged digits file ({error})")
    if len(payload) != inflated or zlib.crc32(payload) != crc:
        raise UsageError(f"{path}: damaged digits file (checksum mismatch)")
    labels = torch.frombuffer(bytearray(payload[:count]), dtype=torch.uint8).long()
    if int(labels.max()) >= classes:
        raise UsageError(f"{path}: damaged digits file (a label above {classes - 1})")
    pixels = torch.frombuffer(bytearray(payload[count:]), dtype=torch.uint8).view(count, 1, rows, cols)
    images = (pixels.float() / 255 - MNIST_MEAN) / MNIST_STD
    return (images[:train], labels[:train]), (images[train:], labels[train:])


def emit_models(directory):
    """Writes the zoo's PyTorch package into `directory` with `netdsl emit` (built from this checkout)."""
    command = ["dotnet", "run", "-c", "Release", "--project", str(CLI), "--",
               "emit", "--target", "pytorch", *sorted(str(p) for p in MODELS.glob("*.nn")), "-o", str(directory / PACKAGE)]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:
        raise UsageError("dotnet is not on PATH: install the .NET SDK, or pass --models-dir with an emitted package")
    if result.returncode != 0:
        raise UsageError("netdsl emit failed: " + (result.stderr or result.stdout).strip().splitlines()[-1])
    return directory / PACKAGE


def import_models(package_directory):
    sys.path.insert(0, str(package_directory.parent))
    return importlib.import_module(package_directory.name)


def build_model(package, name):
    models = package.MODELS
    if name not in models:
        raise UsageError(f"no zoo model named {name!r}; models: {', '.join(sorted(models))}")
    model = models[name]()
    shape = tuple(model.input_shape)
    probe = model.eval()(torch.zeros(1, *shape)) if shape == (1, 28, 28) else None
    if probe is None or tuple(probe.shape) != (1, 10):
        fitting = [n for n, factory in sorted(models.items()) if tuple(factory().input_shape) == (1, 28, 28)]
        raise UsageError(f"{name} expects {'x'.join(map(str, shape))}; digits are 1x28x28 with 10 classes: "
                         f"use a variant with `input 1x28x28` and `classes: 10` (e.g. {', '.join(fitting)})")
    return model


def evaluate(model, images, labels, batch_size=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            logits = model(images[start:start + batch_size])
            correct += int((logits.argmax(1) == labels[start:start + batch_size]).sum())
    return correct / len(images)


def save_atomically(state_dict, path):
    """torch.save to a temporary file beside `path`, then rename over it: a failed save leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            torch.save(state_dict, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def train(rank, world_size, arguments, package_directory, init_method):
    backend = "nccl" if torch.cuda.is_available() and torch.cuda.device_count() >= world_size else "gloo"
    dist.init_process_group(backend, init_method=init_method, rank=rank, world_size=world_size)
    try:
        device = torch.device("cuda", rank % torch.cuda.device_count()) if backend == "nccl" else torch.device("cpu")
        if device.type == "cpu":
            # Each process gets its share of the cores, as with separate machines.
            torch.set_num_threads(max(1, (os.cpu_count() or 1) // world_size))
        torch.manual_seed(arguments.seed)  # the same initial weights in every process (DDP also broadcasts them)
        package = import_models(package_directory)
        model = build_model(package, arguments.model).to(device)
        (train_images, train_labels), (test_images, test_labels) = read_digits()

        ddp = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
        sampler = DistributedSampler(TensorDataset(train_images, train_labels), num_replicas=world_size, rank=rank,
                                     shuffle=True, seed=arguments.seed)
        loader = DataLoader(TensorDataset(train_images, train_labels), batch_size=arguments.batch_size, sampler=sampler)
        optimizer = torch.optim.Adam(ddp.parameters(), lr=arguments.lr)
        schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.7)
        loss_function = nn.CrossEntropyLoss()
        for epoch in range(arguments.epochs):
            sampler.set_epoch(epoch)
            ddp.train()
            total, batches = 0.0, 0
            for images, labels in loader:
                images, labels = images.to(device), labels.to(device)
                optimizer.zero_grad()
                loss = loss_function(ddp(images), labels)
                if not torch.isfinite(loss):
                    raise RuntimeError(f"epoch {epoch + 1}, batch {batches + 1}: the loss is {loss.item()}; "
                                       "lower --lr (nothing was saved)")
                loss.backward()
                optimizer.step()
                total += loss.item()
                batches += 1
            schedule.step()
            if rank == 0:
                print(f"epoch {epoch + 1}/{arguments.epochs}: mean loss {total / batches:.4f} "
                      f"({world_size} processes x {batches} batches)", flush=True)

        if rank == 0:
            model = model.cpu()
            accuracy = evaluate(model, test_images, test_labels)
            save_atomically(model.state_dict(), arguments.out)
            print(f"accuracy: {accuracy * 100:.2f}% on {len(test_images)} held-out digits", flush=True)
            print(f"saved {arguments.out}", flush=True)
        dist.barrier()
    finally:
        dist.destroy_process_group()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(argv):
    try:
        arguments = parse_arguments(argv)
        read_digits()  # a damaged file fails here, once, not in every worker
        arguments.out = arguments.out.resolve()
        if arguments.out.is_dir() or not os.access(arguments.out.parent if arguments.out.parent.exists() else
                                                     arguments.out.parent.parent, os.W_OK):
            raise UsageError(f"{arguments.out}: cannot write the state dict there")
        with tempfile.TemporaryDirectory(prefix="netdsl-ddp-") as scratch:
            package_directory = arguments.models_dir.resolve() if arguments.models_dir else emit_models(Path(scratch))
            build_model(import_models(package_directory), arguments.model)  # an unknown or unfitting model fails here
            if "RANK" in os.environ and "WORLD_SIZE" in os.environ:  # launched by torchrun
                train(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), arguments, package_directory, "env://")
            else:
                init_method = f"tcp://127.0.0.1:{free_port()}"
                mp.spawn(train, args=(arguments.processes, arguments, package_directory, init_method),
                         nprocs=arguments.processes, join=True)
        return 0
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
