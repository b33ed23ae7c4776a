"""make_cases.py: random int8 TRANSPOSE_CONV layers and TensorFlow Lite Micro's outputs for them.

usage: make_cases.py OUTDIR COUNT SEED

Writes OUTDIR/NNNN.lua (the convtgen spec), NNNN_x.npy, NNNN_w.npy, NNNN_b.npy (when the layer
has a bias) and NNNN_y.npy (what TFLM's interpreter computed), and OUTDIR/cases.tsv (one line per
case: name, what it covers). The shapes mix what TFLite's converter writes (SAME: H*s, VALID:
(H-1)*s + K) with any output size TFLite accepts, which is where CMSIS-NN's kernel goes wrong:
H*s - pad > OH (it writes past the output), OH + pad > (H-1)*s + max(K, s) (rows or columns
left unwritten, scratch read past its end), H*s < pad. Zero points at -128 and 127, per-channel
and per-tensor scales, outputs driven into the clamp, ReLU, ReLU6 and ReLU_N1_TO_1.
"""
import os
import sys

import numpy as np

import tflm_model

# The CMSIS-NN failures: (padding, kernel, stride, input HxW, output HxW). It writes past
# the output (k2 s2 SAME 4x4 -> 7x7), leaves rows unwritten (k2 s2 VALID 1x1 -> 3x2), reads past
# its scratch for the last columns (the same along the width), is wrong when H*s < pad
# (k5 s1 SAME 1x1 -> 1x1).
CMSIS_NN_CASES = [
    ("same", (2, 2), (2, 2), (4, 4), (7, 7)),
    ("valid", (2, 2), (2, 2), (1, 1), (3, 2)),
    ("valid", (2, 2), (2, 2), (1, 1), (2, 3)),
    ("same", (5, 5), (1, 1), (1, 1), (1, 1)),
]

SPEC_ACTIVATION = {"none": None, "relu": '"relu"', "relu6": '{"clamp", 0, 6}', "relu_n1_to_1": '{"clamp", -1, 1}'}


def choose_output(rng, pad_mode, i, k, s):
    """An output size: what the converter writes, or one of the CMSIS-NN failure classes."""
    natural = i * s if pad_mode == "same" else (i - 1) * s + k
    kind = rng.choice(["natural", "natural", "smaller", "larger", "any"])
    if kind == "natural":
        return natural, "natural"
    if kind == "smaller":  # H*s - pad > OH: CMSIS-NN writes past the end
        return max(1, natural - int(rng.integers(1, max(2, s + k)))), "cropped"
    if kind == "larger":   # OH + pad > (H-1)*s + max(K, s): rows CMSIS-NN leaves unwritten
        return natural + int(rng.integers(1, s + k + 1)), "extended"
    return int(rng.integers(1, (i + 1) * s + k + 1)), "any"


def main():
    out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    index = []
    for c in range(count):
        name = "%04d" % c
        pad_mode = "same" if rng.random() < 0.5 else "valid"
        k = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        s = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        if rng.random() < 0.6:
            k = (k[0], k[0])
            s = (s[0], s[0])
        h, w = int(rng.integers(1, 10)), int(rng.integers(1, 10))
        if c % 50 == 7:  # H*s < pad: a 1x1 input under a large kernel
            h, w, s, k, pad_mode = 1, 1, (1, 1), (5, 5), "same"
        if c < len(CMSIS_NN_CASES):  # the shapes the issue found CMSIS-NN wrong on, first
            pad_mode, k, s, (h, w), fixed_out = CMSIS_NN_CASES[c]
        n = 1 if rng.random() < 0.8 else 2
        cin = int(rng.choice([1, 2, 3, 4, 5, 8, 12, 16, 17]))
        cout = int(rng.choice([1, 2, 3, 4, 6, 8, 16]))
        (oh, kind_h), (ow, kind_w) = choose_output(rng, pad_mode, h, k[0], s[0]), choose_output(rng, pad_mode, w, k[1], s[1])
        if c % 50 == 7:
            oh, ow, kind_h, kind_w = 1, 1, "pad-over-input", "pad-over-input"
        if c < len(CMSIS_NN_CASES):
            (oh, ow), kind_h, kind_w = fixed_out, "CMSIS-NN", "CMSIS-NN"
        zp_in = int(rng.choice([-128, 127, 0, int(rng.integers(-128, 128))]))
        zp_out = int(rng.choice([-128, 127, 0, int(rng.integers(-128, 128))]))
        s_in = float(np.float32(10 ** rng.uniform(-3, 0)))
        per_channel = rng.random() < 0.7
        ws = (10 ** rng.uniform(-4, -1, cout if per_channel else 1)).astype(np.float32)
        taps = cin * (k[0] / s[0]) * (k[1] / s[1])
        spread = float(s_in * float(np.mean(ws)) * 127 * 100 * np.sqrt(max(taps, 1.0)))
        s_out = float(np.float32(spread * 10 ** rng.uniform(-1.5, 1.0) / 127))  # some outputs clamp
        act = str(rng.choice(["none", "none", "relu", "relu6", "relu_n1_to_1"]))
        weight = rng.integers(-127, 128, (cout, k[0], k[1], cin)).astype(np.int8)
        has_bias = rng.random() < 0.85
        bias = rng.integers(-40000, 40000, cout).astype(np.int32) if has_bias else None
        x = rng.integers(-128, 128, (n, h, w, cin)).astype(np.int8)
        layer = dict(in_channels=cin, out_channels=cout, kernel=k, stride=s, padding=pad_mode, input=(n, h, w),
                     output=(oh, ow), input_scale=s_in, input_zero_point=zp_in, output_scale=s_out,
                     output_zero_point=zp_out, weight_scales=[float(v) for v in ws], activation=act)
        y = tflm_model.run(tflm_model.build(layer, weight, bias), x)
        scales = ("%r" % float(ws[0])) if not per_channel else "{" + ", ".join("%r" % float(v) for v in ws) + "}"
        spec = ["return {",
                "  in_channels = %d, out_channels = %d, kernel_size = {%d, %d}, stride = {%d, %d}," % (cin, cout, *k, *s),
                '  padding = "%s", output_size = {%d, %d}, input_shape = {%d, %d, %d, %d},' % (pad_mode, oh, ow, n, cin, h, w),
                '  dtype = "int8", bias = %s,' % ("true" if has_bias else "false"),
                "  quantization = { input_scale = %r, input_zero_point = %d, output_scale = %r," % (s_in, zp_in, s_out),
                "                   output_zero_point = %d, weight_scales = %s }," % (zp_out, scales)]
        if SPEC_ACTIVATION[act]:
            spec.append("  activation = %s," % SPEC_ACTIVATION[act])
        spec.append("}")
        with open(os.path.join(out, name + ".lua"), "w") as f:
            f.write("\n".join(spec) + "\n")
        np.save(os.path.join(out, name + "_x.npy"), x)
        np.save(os.path.join(out, name + "_w.npy"), weight)
        if has_bias:
            np.save(os.path.join(out, name + "_b.npy"), bias)
        np.save(os.path.join(out, name + "_y.npy"), y)
        clamped = int(np.sum((y == -128) | (y == 127)))
        index.append("%s\t%s k%dx%d s%dx%d %dx%d->%dx%d (%s, %s) cin %d cout %d zp %d/%d %s%s, %d of %d outputs at int8's bounds" % (
            name, pad_mode, *k, *s, h, w, oh, ow, kind_h, kind_w, cin, cout, zp_in, zp_out, act,
            "" if per_channel else " per-tensor", clamped, y.size))
    with open(os.path.join(out, "cases.tsv"), "w") as f:
        f.write("\n".join(index) + "\n")


if __name__ == "__main__":
    main()
