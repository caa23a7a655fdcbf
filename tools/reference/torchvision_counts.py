#!/usr/bin/python3
"""Per-layer shapes, parameters and MACs of a torchvision model, for diffing against `netdsl summary --json`.

Run with Debian's python3 (torch 1.13 + torchvision 0.14 from `apt-get install python3-torchvision`):

    /usr/bin/python3 tools/reference/torchvision_counts.py resnet18
    /usr/bin/python3 tools/reference/torchvision_counts.py mobilenet_v2 --kw width_mult=0.5
    /usr/bin/python3 tools/reference/torchvision_counts.py efficientnet_b1 --input 3x240x240
    /usr/bin/python3 tools/reference/torchvision_counts.py googlenet --kw aux_logits=False,init_weights=False
    /usr/bin/python3 tools/reference/torchvision_counts.py resnet18 --json > resnet18.json
    /usr/bin/python3 tools/reference/torchvision_counts.py cifar_resnet18        (built-in CIFAR models, see below)

MAC convention (torchvision model cards): Conv2d = Cout*Hout*Wout*(Cin/groups)*kh*kw, Linear = in*out,
ConvTranspose2d = Cin*Hin*Win*(Cout/groups)*kh*kw (none in torchvision's classifiers; graph_references.py's UNet);
batch norm, activations, pooling, adds and multiplies are free. Parameters are every parameter of the model
(buffers such as running statistics are not counted). Size = parameters * 4 bytes, in MiB.

No weights are downloaded: models are built with random initialisation.
"""
import argparse
import json
import sys

import torch
import torch.nn as nn
import torchvision


# ---------------------------------------------------------------------------------------------------------
# Small CIFAR models of the reference table (not in torchvision), written here so they can be measured too.

class _BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, se_reduction=0):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.se = None
        if se_reduction:
            s = cout // se_reduction
            self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(cout, s, 1), nn.ReLU(inplace=True),
                                    nn.Conv2d(s, cout, 1), nn.Sigmoid())
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.se is not None:
            out = out * self.se(out)
        return torch.relu(out + self.shortcut(x))


class _CifarResNet18(nn.Module):
    def __init__(self, num_classes=10, se_reduction=0):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        layers, cin = [], 64
        for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            layers.append(nn.Sequential(_BasicBlock(cin, cout, stride, se_reduction),
                                        _BasicBlock(cout, cout, 1, se_reduction)))
            cin = cout
        self.layers = nn.Sequential(*layers)
        self.linear = nn.Linear(512, num_classes)

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.layers(out)
        out = torch.flatten(nn.functional.adaptive_avg_pool2d(out, 1), 1)
        return self.linear(out)


LOCAL = {
    "cifar_resnet18": (lambda **kw: _CifarResNet18(**kw), (3, 32, 32)),
    "cifar_se_resnet18": (lambda **kw: _CifarResNet18(se_reduction=16, **kw), (3, 32, 32)),
}

DEFAULT_INPUT = {
    "efficientnet_b1": (3, 240, 240), "efficientnet_b2": (3, 260, 260), "efficientnet_b3": (3, 300, 300),
    "efficientnet_b4": (3, 380, 380), "inception_v3": (3, 299, 299),
}

# Keyword arguments that make a model measurable without downloads / as the reference table defines it.
DEFAULT_KW = {
    "googlenet": {"aux_logits": False, "init_weights": False},
    "inception_v3": {"aux_logits": False, "init_weights": False},
}


def parse_kw(text):
    kw = {}
    if not text:
        return kw
    for item in text.split(","):
        k, v = item.split("=", 1)
        for conv in (int, float):
            try:
                v = conv(v)
                break
            except ValueError:
                pass
        else:
            v = {"True": True, "False": False}.get(v, v)
        kw[k] = v
    return kw


def build(name, kw):
    if name in LOCAL:
        ctor, shape = LOCAL[name]
        return ctor(**kw), shape
    ctor = getattr(torchvision.models, name)
    merged = dict(DEFAULT_KW.get(name, {}))
    merged.update(kw)
    return ctor(weights=None, **merged), DEFAULT_INPUT.get(name, (3, 224, 224))


def measure(model, shape):
    rows = []

    def hook(module, inputs, output):
        name = names[module]
        macs = 0
        if isinstance(module, nn.Conv2d):
            cout, hout, wout = output.shape[1:]
            kh, kw_ = module.kernel_size
            macs = cout * hout * wout * (module.in_channels // module.groups) * kh * kw_
        elif isinstance(module, nn.ConvTranspose2d):
            cin, hin, win = inputs[0].shape[1:]
            kh, kw_ = module.kernel_size
            macs = cin * hin * win * (module.out_channels // module.groups) * kh * kw_
        elif isinstance(module, nn.Linear):
            macs = module.in_features * module.out_features
        params = sum(p.numel() for p in module.parameters(recurse=False))
        rows.append({"name": name, "type": type(module).__name__,
                     "output": list(output.shape[1:]) if torch.is_tensor(output) else None,
                     "params": params, "macs": int(macs)})

    names = {}
    handles = []
    for n, m in model.named_modules():
        names[m] = n
        if len(list(m.children())) == 0:  # leaves only: every parameter lives in a leaf in these models
            handles.append(m.register_forward_hook(hook))
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, *shape))
    for h in handles:
        h.remove()
    total_params = sum(p.numel() for p in model.parameters())
    hooked = sum(r["params"] for r in rows)
    return rows, total_params, sum(r["macs"] for r in rows), hooked


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="torchvision.models function name, or one of: " + ", ".join(LOCAL))
    ap.add_argument("--kw", default="", help="constructor arguments, e.g. width_mult=0.5,num_classes=10")
    ap.add_argument("--input", default=None, help="CxHxW, default 3x224x224 (or the model's native size)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--totals", action="store_true", help="print only the totals")
    args = ap.parse_args()

    model, shape = build(args.model, parse_kw(args.kw))
    if args.input:
        shape = tuple(int(x) for x in args.input.lower().split("x"))
    rows, params, macs, hooked = measure(model, shape)
    if hooked != params:
        print(f"warning: {params - hooked} parameters live outside leaf modules", file=sys.stderr)
    totals = {"model": args.model, "input": list(shape), "params": params, "macs": macs,
              "size_mib": params * 4 / 2**20}
    if args.json:
        json.dump({"totals": totals, "layers": rows}, sys.stdout, indent=1)
        print()
        return
    if not args.totals:
        print(f"{'module':<48} {'type':<20} {'output':<18} {'params':>11} {'MACs':>14}")
        for r in rows:
            out = "x".join(str(d) for d in r["output"]) if r["output"] else "-"
            if r["params"] == 0 and r["macs"] == 0 and not r["type"].startswith(("MaxPool", "AvgPool", "Adaptive")):
                continue
            print(f"{r['name']:<48} {r['type']:<20} {out:<18} {r['params']:>11,} {r['macs']:>14,}")
    print(f"{args.model} {'x'.join(map(str, shape))}: params {params:,}  MACs {macs:,} ({macs / 1e6:.2f} M)  "
          f"fp32 {params * 4 / 2**20:.2f} MiB")


if __name__ == "__main__":
    main()
