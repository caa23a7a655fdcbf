#!/usr/bin/python3
"""PyTorch reference implementations of the zoo's graph networks (issue 17), written from the papers and the
public reference code, not from NetDsl: ResNet18FPN, EfficientDetD0 and UNet.

Run with Debian's python3 (torch 1.13 + torchvision 0.14 from `apt-get install python3-torchvision`):

    /usr/bin/python3 tools/reference/graph_references.py                  (all three: params and MACs)
    /usr/bin/python3 tools/reference/graph_references.py EfficientDetD0   (and its breakdown, both head-BN variants)
    /usr/bin/python3 tools/reference/graph_references.py UNet --layers    (every layer call)

MAC convention (torchvision_counts.py): Conv2d = Cout*Hout*Wout*(Cin/groups)*kh*kw,
ConvTranspose2d = Cin*Hin*Win*(Cout/groups)*kh*kw, Linear = in*out; batch norm, activations, pooling, adds,
concatenation, interpolation and fusion weights are free. A module applied several times (EfficientDet's heads,
once per level) is counted at every call. Parameters are every parameter of the module (not the buffers).
No weights are downloaded: every module is randomly initialised.
"""
import argparse
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models._utils import IntermediateLayerGetter
from torchvision.ops import FeaturePyramidNetwork

from torchvision_counts import measure


# ---------------------------------------------------------------------------------------------------------
# ResNet18FPN: Lin et al. 2017, "Feature Pyramid Networks for Object Detection", as torchvision builds it
# (torchvision.models.detection.backbone_utils.BackboneWithFPN without its frozen batch norms and without the
# extra max-pooled level). Input 3x224x224; outputs "0".."3" = P2..P5, 256 channels, strides 4, 8, 16, 32.

class ResNet18FPN(nn.Module):
    """torchvision resnet18 up to layer4 (no avgpool/fc), layer1..layer4 outputs into an FPN of 256 channels."""

    RETURN_LAYERS = {"layer1": "0", "layer2": "1", "layer3": "2", "layer4": "3"}

    def __init__(self):
        super().__init__()
        self.body = IntermediateLayerGetter(torchvision.models.resnet18(weights=None), self.RETURN_LAYERS)
        self.fpn = FeaturePyramidNetwork([64, 128, 256, 512], 256)  # 1x1 lateral + 3x3 output convs, with bias

    def forward(self, x):
        return self.fpn(self.body(x))  # OrderedDict "0".."3", highest resolution first


# ---------------------------------------------------------------------------------------------------------
# EfficientDetD0: Tan, Pang and Le 2020, "EfficientDet: Scalable and Efficient Object Detection", D0 as in
# google/automl efficientdet/efficientdet_arch.py and rwightman/efficientdet-pytorch tf_efficientdet_d0 (the
# TensorFlow layout: convs followed by batch norm keep their bias). Input 3x512x512.

def up(x):
    return F.interpolate(x, scale_factor=2, mode="nearest")


def down(x):
    return F.max_pool2d(x, 3, 2, 1)


class SeparableConv(nn.Sequential):
    """Depthwise 3x3 (no bias), then pointwise 1x1 with bias (TensorFlow's separable_conv2d)."""

    def __init__(self, cin, cout):
        super().__init__(OrderedDict(depthwise=nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False),
                                     pointwise=nn.Conv2d(cin, cout, 1)))


class Resample(nn.Sequential):
    """A backbone feature brought to the BiFPN's width: 1x1 conv with bias, batch norm (no activation)."""

    def __init__(self, cin, cout):
        super().__init__(OrderedDict(conv=nn.Conv2d(cin, cout, 1), bn=nn.BatchNorm2d(cout)))


class FusionNode(nn.Module):
    """One BiFPN node: fast normalized fusion of its inputs, swish, separable conv, batch norm.

    `widths[i]` is the channel count of input i; an input narrower or wider than `channels` (a backbone
    feature, first BiFPN layer only) gets its own Resample first. Inputs arrive at this node's resolution.
    """

    def __init__(self, widths, channels, eps=1e-4):
        super().__init__()
        self.weights = nn.Parameter(torch.ones(len(widths)))
        self.resample = nn.ModuleDict({str(i): Resample(w, channels) for i, w in enumerate(widths) if w != channels})
        self.conv = SeparableConv(channels, channels)
        self.bn = nn.BatchNorm2d(channels)
        self.eps = eps

    def forward(self, inputs):
        inputs = [self.resample[str(i)](x) if str(i) in self.resample else x for i, x in enumerate(inputs)]
        w = torch.relu(self.weights)
        fused = sum(w[i] * x for i, x in enumerate(inputs)) / (w.sum() + self.eps)
        return self.bn(self.conv(F.silu(fused)))


class BiFPNLayer(nn.Module):
    """P3..P7 in, P3..P7 out. Top-down P6td, P5td, P4td, P3out, then bottom-up P4out, P5out, P6out, P7out."""

    def __init__(self, channels, widths):
        super().__init__()
        c3, c4, c5, c6, c7 = widths  # the inputs' channels: (40, 112, 320, 64, 64) in the first layer
        self.p6_td = FusionNode([c6, channels], channels)
        self.p5_td = FusionNode([c5, channels], channels)
        self.p4_td = FusionNode([c4, channels], channels)
        self.p3_out = FusionNode([c3, channels], channels)
        self.p4_out = FusionNode([c4, channels, channels], channels)
        self.p5_out = FusionNode([c5, channels, channels], channels)
        self.p6_out = FusionNode([c6, channels, channels], channels)
        self.p7_out = FusionNode([c7, channels], channels)

    def forward(self, features):
        p3, p4, p5, p6, p7 = features
        p6_td = self.p6_td([p6, up(p7)])
        p5_td = self.p5_td([p5, up(p6_td)])
        p4_td = self.p4_td([p4, up(p5_td)])
        p3_out = self.p3_out([p3, up(p4_td)])
        p4_out = self.p4_out([p4, p4_td, down(p3_out)])
        p5_out = self.p5_out([p5, p5_td, down(p4_out)])
        p6_out = self.p6_out([p6, p6_td, down(p5_out)])
        p7_out = self.p7_out([p7, down(p6_out)])
        return [p3_out, p4_out, p5_out, p6_out, p7_out]


class Head(nn.Module):
    """Class or box net, one set of convs for all levels: 3 x (separable conv, BN, swish), separable predictor.

    shared_bn=True (the zoo's figure) uses one BN per repeat for every level; shared_bn=False is the reference
    implementations' one BN per repeat and level.
    """

    def __init__(self, channels, outputs, repeats=3, levels=5, shared_bn=True):
        super().__init__()
        self.convs = nn.ModuleList(SeparableConv(channels, channels) for _ in range(repeats))
        if shared_bn:
            self.bns = nn.ModuleList(nn.BatchNorm2d(channels) for _ in range(repeats))
        else:
            self.bns = nn.ModuleList(nn.ModuleList(nn.BatchNorm2d(channels) for _ in range(levels))
                                     for _ in range(repeats))
        self.shared_bn = shared_bn
        self.predict = SeparableConv(channels, outputs)

    def forward(self, features):
        outputs = []
        for level, x in enumerate(features):
            for conv, bn in zip(self.convs, self.bns):
                x = F.silu((bn if self.shared_bn else bn[level])(conv(x)))
            outputs.append(self.predict(x))
        return outputs


class EfficientDetD0(nn.Module):
    """torchvision efficientnet_b0 features[0..7] (P3 = stage 3, 40 ch; P4 = stage 5, 112; P5 = stage 7, 320),
    P6 = 1x1 conv + BN + max pool of P5, P7 = max pool of P6, three 64-channel BiFPN layers, class and box nets."""

    def __init__(self, num_classes=90, anchors=9, channels=64, bifpn_layers=3, shared_head_bn=True):
        super().__init__()
        self.backbone = torchvision.models.efficientnet_b0(weights=None).features[:8]  # no 1280-channel head conv
        self.taps = (3, 5, 7)
        self.p6 = nn.Sequential(OrderedDict(conv=nn.Conv2d(320, channels, 1), bn=nn.BatchNorm2d(channels),
                                            pool=nn.MaxPool2d(3, 2, 1)))
        self.p7 = nn.MaxPool2d(3, 2, 1)
        widths = [(40, 112, 320, channels, channels)] + [(channels,) * 5] * (bifpn_layers - 1)
        self.bifpn = nn.Sequential(*(BiFPNLayer(channels, w) for w in widths))
        self.class_net = Head(channels, anchors * num_classes, shared_bn=shared_head_bn)
        self.box_net = Head(channels, anchors * 4, shared_bn=shared_head_bn)

    def forward(self, x):
        features = []
        for i, stage in enumerate(self.backbone):
            x = stage(x)
            if i in self.taps:
                features.append(x)
        p6 = self.p6(features[-1])
        features = self.bifpn(features + [p6, self.p7(p6)])
        return self.class_net(features), self.box_net(features)


# ---------------------------------------------------------------------------------------------------------
# UNet: Ronneberger, Fischer and Brox 2015, "U-Net: Convolutional Networks for Biomedical Image Segmentation",
# Figure 1, with padded 3x3 convs (same-size outputs, no cropping). Input 1x256x256, 2 classes.

def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """Encoder 64-128-256-512-1024 (two 3x3 convs each, 2x2 max pool between); decoder: 2x2 stride-2 transposed
    conv halving the channels, concatenation [skip, upsampled], two 3x3 convs; 1x1 conv to the classes."""

    def __init__(self, in_channels=1, classes=2, widths=(64, 128, 256, 512, 1024)):
        super().__init__()
        self.down = nn.ModuleList()
        cin = in_channels
        for w in widths:
            self.down.append(double_conv(cin, w))
            cin = w
        self.up = nn.ModuleList(nn.ConvTranspose2d(w, w // 2, 2, stride=2) for w in reversed(widths[1:]))
        self.decode = nn.ModuleList(double_conv(w, w // 2) for w in reversed(widths[1:]))
        self.classify = nn.Conv2d(widths[0], classes, 1)

    def forward(self, x):
        skips = []
        for i, block in enumerate(self.down):
            if i > 0:
                x = F.max_pool2d(x, 2)
            x = block(x)
            skips.append(x)
        skips.pop()  # the bottom block's output is not a skip
        for up, decode in zip(self.up, self.decode):
            x = decode(torch.cat([skips.pop(), up(x)], dim=1))
        return self.classify(x)


# ---------------------------------------------------------------------------------------------------------

NETWORKS = OrderedDict([
    ("ResNet18FPN", (ResNet18FPN, (3, 224, 224))),
    ("EfficientDetD0", (EfficientDetD0, (3, 512, 512))),
    ("UNet", (UNet, (1, 256, 256))),
])


def count(name, **kw):
    """(params, MACs, layer rows) of NETWORKS[name] at its reference input, built with `kw`."""
    ctor, shape = NETWORKS[name]
    rows, params, macs, _ = measure(ctor(**kw), shape)
    return params, macs, rows


def params_of(module):
    return sum(p.numel() for p in module.parameters())


def efficientdet_breakdown():
    """Parameters and MACs of EfficientDet-D0's parts (shared head BNs; MACs at 512x512)."""
    model = EfficientDetD0()
    rows, _, _, _ = measure(model, NETWORKS["EfficientDetD0"][1])
    parts = OrderedDict([("backbone", "backbone"), ("P6/P7", "p6"), ("BiFPN", "bifpn"),
                         ("class net", "class_net"), ("box net", "box_net")])
    out = OrderedDict()
    for label, prefix in parts.items():
        macs = sum(r["macs"] for r in rows if r["name"] == prefix or r["name"].startswith(prefix + "."))
        out[label] = (params_of(getattr(model, prefix)), macs)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("networks", nargs="*", help="any of " + ", ".join(NETWORKS) + " (default: all)")
    ap.add_argument("--layers", action="store_true", help="print every layer call with parameters and MACs")
    args = ap.parse_args()
    unknown = [n for n in args.networks if n not in NETWORKS]
    if unknown:
        sys.exit(f"error: unknown network {', '.join(unknown)}; known: {', '.join(NETWORKS)}")
    for name in args.networks or NETWORKS:
        params, macs, rows = count(name)
        shape = "x".join(map(str, NETWORKS[name][1]))
        if args.layers:
            print(f"{'module':<48} {'type':<18} {'output':<16} {'params':>10} {'MACs':>14}")
            for r in rows:
                if r["params"] or r["macs"]:
                    out = "x".join(str(d) for d in r["output"]) if r["output"] else "-"
                    print(f"{r['name']:<48} {r['type']:<18} {out:<16} {r['params']:>10,} {r['macs']:>14,}")
        print(f"{name} {shape}: params {params:,}  MACs {macs:,} ({macs / 1e9:.3f} G)")
        if name == "EfficientDetD0":
            per_level, per_level_macs, _ = count(name, shared_head_bn=False)
            print(f"  per-level head batch norms (as google/automl, rwightman): params {per_level:,} "
                  f"(+{per_level - params:,}), MACs {per_level_macs:,}")
            for label, (p, m) in efficientdet_breakdown().items():
                print(f"  {label:<10} params {p:>10,}  MACs {m:>14,}")
            print("  paper (Tan et al. 2020, Table 2): 3.9M params, 2.5B FLOPs (multiply-adds)")


if __name__ == "__main__":
    main()
