#!/usr/bin/python3
"""A torchvision model's state dict (torch.save) and its eval-mode outputs, for a zoo network by its name.

Run with Debian's python3 (torch 1.13 + torchvision 0.14 from `apt-get install python3-torchvision`):

    /usr/bin/python3 tools/reference/torchvision_state_dict.py ResNet18 --out /tmp
    /usr/bin/python3 tools/reference/torchvision_state_dict.py --all --out /tmp/torchvision --batch 2
    /usr/bin/python3 tools/reference/torchvision_state_dict.py --list

For each network it writes NAME.pt (torch.save(model.state_dict())), NAME.input.npy (a random float32 batch,
N x C x H x W at the network's reference input size) and NAME.logits.npy (the model's eval-mode outputs for it).

The zoo network is looked up in make_reference_json.py's table (the networks measured with torchvision, and
the generic networks that equal one of them); the CIFAR models there are this folder's own, not torchvision's.
No weights are downloaded: the model is randomly initialised from --seed, and its batch-norm layers get random
affine weights and running statistics so that loading them is tested too.
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn

from make_reference_json import EXACT, GENERIC
from torchvision_counts import build


def torchvision_networks():
    """Zoo name -> (torchvision function, keyword arguments) for every network with a torchvision counterpart."""
    table = {name: (fn, kw) for name, _, fn, kw, _ in EXACT if not fn.startswith("cifar")}
    for generic, same in GENERIC:
        if same in table:
            table[generic] = table[same]
    return table


def randomise_batch_norm(model, generator):
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            with torch.no_grad():
                module.weight.copy_(torch.rand(module.weight.shape, generator=generator) + 0.5)
                module.bias.copy_(torch.randn(module.bias.shape, generator=generator) * 0.1)
                module.running_mean.copy_(torch.randn(module.running_mean.shape, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(module.running_var.shape, generator=generator) + 0.5)
                module.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=generator)))


def write(name, fn, kw, directory, batch, seed):
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model, shape = build(fn, kw)
    randomise_batch_norm(model, generator)
    model.eval()
    torch.save(model.state_dict(), os.path.join(directory, f"{name}.pt"))
    x = torch.randn((batch, *shape), generator=generator)
    with torch.no_grad():
        y = model(x)
    np.save(os.path.join(directory, f"{name}.input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(directory, f"{name}.logits.npy"), y.numpy().astype(np.float32))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("networks", nargs="*", help="zoo networks or variants, e.g. ResNet18")
    ap.add_argument("--all", action="store_true", help="every zoo network with a torchvision counterpart")
    ap.add_argument("--out", default=".", help="directory for the files (default: here)")
    ap.add_argument("--batch", type=int, default=1, help="samples in the input batch (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--list", action="store_true", help="list the zoo networks with a torchvision counterpart")
    args = ap.parse_args()

    table = torchvision_networks()
    if args.list:
        for name, (fn, kw) in sorted(table.items()):
            print(name, fn, ",".join(f"{k}={v}" for k, v in kw.items()))
        return
    names = sorted(table) if args.all else args.networks
    if not names:
        ap.error("give networks, --all or --list")
    unknown = [n for n in names if n not in table]
    if unknown:
        sys.exit(f"error: {', '.join(unknown)} has no torchvision counterpart; these do: {', '.join(sorted(table))}")
    for name in names:
        fn, kw = table[name]
        write(name, fn, kw, args.out, args.batch, args.seed)


if __name__ == "__main__":
    main()
