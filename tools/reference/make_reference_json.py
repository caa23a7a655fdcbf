#!/usr/bin/python3
"""Writes examples/models/reference.json: the figures every zoo network / variant must reproduce.

    /usr/bin/python3 tools/reference/make_reference_json.py > examples/models/reference.json

Exact entries are measured here with torchvision 0.14.1 (see torchvision_counts.py for the convention), the
graph networks on graph_references.py's modules; the others carry the paper's figure and a tolerance. Fields:
  input              [C, H, W]
  params, macs       expected totals (where the paper gives none, this design's own figure, said in note) (macs: Conv2d Cout*Hout*Wout*Cin/groups*kh*kw + ConvTranspose2d Cin*Hin*Win*Cout/groups*kh*kw + Linear in*out)
  params_tolerance   relative; 0 = exact
  macs_tolerance     relative
  source             where the figure comes from
  file               the .nn file that declares the network
  note               optional
"""
import json
import sys

import torchvision
from graph_references import NETWORKS, count
from torchvision_counts import build, measure

TV = "torchvision " + torchvision.__version__.split("+")[0].replace("a0", "")  # Debian reports 0.14.1a0

# name, file, torchvision function, kwargs, input
EXACT = [
    ("MobileNetV2", "mobilenet_v2.nn", "mobilenet_v2", {}, None),
    ("MobileNetV2_050", "mobilenet_v2.nn", "mobilenet_v2", {"width_mult": 0.5}, None),
    ("MobileNetV3Large", "mobilenet_v3.nn", "mobilenet_v3_large", {}, None),
    ("MobileNetV3Small", "mobilenet_v3.nn", "mobilenet_v3_small", {}, None),
    ("ShuffleNetV2_x1_0", "shufflenet.nn", "shufflenet_v2_x1_0", {}, None),
    ("SqueezeNet1_0", "squeezenet.nn", "squeezenet1_0", {}, None),
    ("SqueezeNet1_1", "squeezenet.nn", "squeezenet1_1", {}, None),
    ("EfficientNetB0", "efficientnet.nn", "efficientnet_b0", {}, None),
    ("EfficientNetB1", "efficientnet.nn", "efficientnet_b1", {}, None),
    ("EfficientNetB3", "efficientnet.nn", "efficientnet_b3", {}, None),
    ("ResNet18", "resnet.nn", "resnet18", {}, None),
    ("ResNet50", "resnet.nn", "resnet50", {}, None),
    ("ResNeXt50_32x4d", "resnet.nn", "resnext50_32x4d", {}, None),
    ("DenseNet121", "densenet.nn", "densenet121", {}, None),
    ("GoogLeNet", "googlenet.nn", "googlenet", {}, None),
    ("CifarResNet18", "cifar_resnet.nn", "cifar_resnet18", {}, None),
    ("CifarSEResNet18", "cifar_resnet.nn", "cifar_se_resnet18", {}, None),
]

# The generic networks, at their defaults, are the same models as a variant.
GENERIC = [("EfficientNet", "EfficientNetB0"), ("ResNet", "ResNet18")]


def rounding(figure, unit):
    """Relative tolerance of a figure the paper rounds to `unit`."""
    return round(unit / 2 / figure, 4)


def graph_entries(out):
    """The graph networks of issue 17, measured on graph_references.py's modules (exact, tolerance 0)."""
    ref = "tools/reference/graph_references.py"
    for name, file, source in [
        ("ResNet18FPN", "fpn.nn",
         f"{ref} ResNet18FPN: {TV} resnet18 body up to layer4 (IntermediateLayerGetter, layer1..layer4) + "
         "torchvision.ops.FeaturePyramidNetwork([64, 128, 256, 512], 256), no extra blocks"),
        ("EfficientDetD0", "efficientdet.nn",
         f"{ref} EfficientDetD0: Tan et al. 2020 D0 as google/automl efficientdet_arch.py and rwightman "
         f"tf_efficientdet_d0 (convs before batch norm keep their bias), backbone {TV} efficientnet_b0 "
         "features[0..7], class/box nets with head batch norms shared across the five levels"),
        ("UNet", "unet.nn",
         f"{ref} UNet: Ronneberger et al. 2015 with padded 3x3 convs (bias, ReLU, no batch norm), "
         "ConvTranspose2d 2x2 stride 2, concatenation [skip, upsampled], 1 input channel, 2 classes"),
    ]:
        params, macs, _ = count(name)
        note = None
        if name == "EfficientDetD0":
            per_level, _, _ = count(name, shared_head_bn=False)
            note = (f"the reference implementations have one head batch norm per level: {per_level:,} parameters "
                    f"(+{per_level - params:,}); the paper (Table 2) gives 3.9M parameters and 2.5B FLOPs "
                    "(multiply-adds); MACs sum both heads over P3..P7")
        elif name == "UNet":
            note = ("the paper's 3x3 convs are unpadded (572x572 in, 388x388 out): padding changes no parameter, "
                    "only the MACs; ConvTranspose2d MACs = Cin*Hin*Win*Cout/groups*kh*kw")
        entry = {"file": file, "input": list(NETWORKS[name][1]), "params": params, "macs": macs,
                 "params_tolerance": 0, "macs_tolerance": 0, "source": source}
        if note:
            entry["note"] = note
        out[name] = entry


def main():
    out = {}
    for name, file, fn, kw, shape in EXACT:
        model, default_shape = build(fn, kw)
        shape = shape or default_shape
        _, params, macs, _ = measure(model, shape)
        args = ", ".join(f"{k}={v}" for k, v in kw.items())
        if fn.startswith("cifar"):
            source = "reference table, CIFAR (shared/reference/reference-counts.md); measured with " \
                     f"tools/reference/torchvision_counts.py {fn}"
        else:
            source = f"{TV} {fn}" + (f"({args})" if args else "") + \
                     (" (aux_logits=False)" if fn == "googlenet" else "")
        out[name] = {"file": file, "input": list(shape), "params": params, "macs": macs,
                     "params_tolerance": 0, "macs_tolerance": 0.005, "source": source}

    for name, alpha, p, m in [("MobileNetV1", 1.0, 4.2e6, 569e6), ("MobileNetV1_075", 0.75, 2.6e6, 325e6),
                              ("MobileNetV1_050", 0.5, 1.3e6, 149e6), ("MobileNetV1_025", 0.25, 0.5e6, 41e6)]:
        out[name] = {"file": "mobilenet_v1.nn", "input": [3, 224, 224], "params": int(p), "macs": int(m),
                     "params_tolerance": max(0.01, rounding(p, 0.1e6)), "macs_tolerance": 0.01,
                     "source": "paper, Howard et al. 2017, Tables 4 and 6" +
                               (f" (width multiplier {alpha})" if alpha != 1.0 else ""),
                     "note": "the paper rounds parameters to 0.1 M (tolerance = half of that, at least 1 %) "
                             "and mult-adds to 1 M"}
    out["ShuffleNetV1_g3"] = {
        "file": "shufflenet.nn", "input": [3, 224, 224], "params": 1_865_728, "macs": 140_000_000,
        "params_tolerance": 0, "macs_tolerance": 0.05,
        "source": "paper, Zhang et al. 2017, Table 2 (ShuffleNet 1x, g = 3: 140 MFLOPs)",
        "note": "the paper gives no parameter count: params is this design's own figure (137.46 M MACs)"}
    out["CifarResNet18_CompConv"] = {
        "file": "cifar_resnet.nn", "input": [3, 32, 32], "params": 3_365_004, "macs": 308_091_632,
        "params_tolerance": 0, "macs_tolerance": 0.005,
        "source": "computed from the CompConv formulas of docs/language.md (CompConv128, seed 003 section 2.5)",
        "note": "no external reference; 30.1 % of CifarResNet18's parameters, 55.5 % of its MACs"}
    mp = "paper, Zhao et al. 2023 (seed 000), abstract; MB = 10^6 bytes of fp32 parameters"
    for name, shape, mb, p, m in [("MultiPathNet", [3, 32, 32], 5.3, 1_291_090, 69_102_720),
                                  ("MultiPathNet_SE", [3, 32, 32], 5.3, 1_308_687, 69_119_680),
                                  ("MultiPathNet_Large", [3, 32, 32], 33.0, 8_048_322, 400_320_512)]:
        out[name] = {"file": "multipath.nn", "input": shape, "params": int(mb * 1e6 / 4), "macs": m,
                     "params_tolerance": 0.10, "macs_tolerance": 0.005, "source": f"{mp}: {mb} MB",
                     "note": f"the paper gives no MACs: macs is this design's own figure; "
                             f"this design has {p:,} parameters ({p * 4 / 1e6:.2f} MB)"}
    out["MultiPathNet_Digits"] = {
        "file": "multipath.nn", "input": [1, 28, 28], "params": 113_698, "macs": 14_169_408,
        "params_tolerance": 0, "macs_tolerance": 0.005,
        "source": "this design (no paper figure): sized for ~100-300 K parameters to train on 8,000 MNIST digits "
                  "on 2 CPU cores"}
    graph_entries(out)
    for generic, same in GENERIC:
        out[generic] = dict(out[same], note=f"the generic network at its defaults = {same}")
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
