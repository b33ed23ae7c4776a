"""Single-node ONNX models for convtgen's importer tests, with ONNX Runtime's outputs as the oracle.

Usage: make_models.py OUT_DIR. Writes OUT_DIR/NNN.onnx, NNN_x.npy and NNN_y.npy (ONNX Runtime's
output; absent for float64, which ONNX Runtime's CPU ConvTranspose does not run), and
OUT_DIR/models.tsv: one line per model, "NNN<TAB>what it covers". Deterministic (seeded).
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
ort.set_default_logger_severity(3)  # no warnings about old opsets in the test log
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(2026)
lines = []


def natural(i, s, k, d, op):
    return s * (i - 1) + op + (k - 1) * d + 1


def save(name, model, x, dtype, what):
    onnx.checker.check_model(model)
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    np.save(os.path.join(OUT, name + "_x.npy"), x)
    if dtype == np.float32:
        try:
            sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            y = sess.run(None, {"x": x})[0]
        except Exception:  # ONNX Runtime refuses some output_shape combinations: not a test case
            os.remove(path)
            os.remove(os.path.join(OUT, name + "_x.npy"))
            return False
        np.save(os.path.join(OUT, name + "_y.npy"), y)
    lines.append(f"{name}\t{what}")
    return True


def model(i):
    r = rng.integers
    opset = [11, 22, 1][i % 3] if i % 17 else 11
    dtype = np.float64 if i % 23 == 7 else np.float32
    g = int([1, 1, 1, 2, 3][r(5)])
    cin, coutg = g * int(r(1, 4)), int(r(1, 4))
    kh, kw = int(r(1, 6)), int(r(1, 6))
    sh, sw = int(r(1, 4)), int(r(1, 4))
    dh, dw = int(r(1, 3)), int(r(1, 3))
    if opset == 1:
        dh = dw = 1
    h, w = int(r(1, 8)), int(r(1, 8))
    n = int(r(1, 3))
    attrs = {"kernel_shape": [kh, kw], "strides": [sh, sw], "dilations": [dh, dw], "group": g}
    op = [0, 0]
    if r(3) == 0:
        op = [int(r(0, sh)), int(r(0, sw))]
        attrs["output_padding"] = op
    mode = ["pads", "pads", "same_upper", "same_lower", "valid", "output_shape", "none"][i % 7]
    what = [f"opset {opset}", "float64" if dtype == np.float64 else "float32", f"group {g}", f"mode {mode}"]
    if mode == "pads":
        pads = [int(r(0, dh * (kh - 1) + 1)), int(r(0, dw * (kw - 1) + 1)),
                int(r(0, dh * (kh - 1) + 1)), int(r(0, dw * (kw - 1) + 1))]
        if natural(h, sh, kh, dh, op[0]) - pads[0] - pads[2] < 1 or natural(w, sw, kw, dw, op[1]) - pads[1] - pads[3] < 1:
            pads = [0, 0, 0, 0]
        attrs["pads"] = pads
        if pads[0] != pads[2] or pads[1] != pads[3]:
            what.append("asymmetric pads")
    elif mode in ("same_upper", "same_lower"):
        attrs["auto_pad"] = mode.upper()
    elif mode == "valid":
        attrs["auto_pad"] = "VALID"
    elif mode == "output_shape":
        shape = []
        for (ii, s, k, d, o) in ((h, sh, kh, dh, op[0]), (w, sw, kw, dw, op[1])):
            nat = natural(ii, s, k, d, o)
            delta = int(r(-min(nat - 1, 3), s))  # smaller than natural, or larger by < stride
            shape.append(nat + delta)
            what.append("output_shape smaller" if delta < 0 else "output_shape larger" if delta > 0 else "output_shape natural")
        attrs["output_shape"] = shape
        if r(2):
            attrs["auto_pad"] = "SAME_UPPER" if r(2) else "SAME_LOWER"
            what.append(attrs["auto_pad"])
    bias = r(4) != 0
    onnx_type = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    wt = rng.standard_normal((cin, coutg, kh, kw)).astype(dtype)
    inits = [numpy_helper.from_array(wt, "w")]
    if i % 5 == 4:  # typed fields instead of raw_data
        inits[0] = helper.make_tensor("w", onnx_type, wt.shape, wt.flatten().tolist())
        what.append("typed data")
    inputs = ["x", "w"]
    if bias:
        inits.append(numpy_helper.from_array(rng.standard_normal(g * coutg).astype(dtype), "b"))
        inputs.append("b")
    else:
        what.append("no bias")
    nodes = [helper.make_node("ConvTranspose", inputs, ["y0"], name=f"convt{i}", **attrs)]
    last = "y0"
    if dtype == np.float32 and opset >= 11 and i % 4 == 1:  # BatchNormalization, then an activation
        c = g * coutg
        for nm, v in (("gamma", rng.uniform(0.5, 2, c)), ("beta", rng.standard_normal(c)),
                      ("mean", rng.standard_normal(c)), ("var", rng.uniform(0.2, 3, c))):
            inits.append(numpy_helper.from_array(v.astype(dtype), nm))
        nodes.append(helper.make_node("BatchNormalization", [last, "gamma", "beta", "mean", "var"], ["y1"], epsilon=1e-3))
        last = "y1"
        what.append("BatchNormalization")
    if dtype == np.float32 and opset >= 11 and i % 2 == 1:
        act = ["Relu", "LeakyRelu", "Tanh", "Sigmoid", "Clip"][(i // 2) % 5]
        ins, kw_ = [last], {}
        if act == "LeakyRelu":
            kw_["alpha"] = 0.15
        if act == "Clip":
            inits.append(numpy_helper.from_array(np.array(-0.5, dtype), "lo"))
            inits.append(numpy_helper.from_array(np.array(0.75, dtype), "hi"))
            ins += ["lo", "hi"]
        nodes.append(helper.make_node(act, ins, ["y2"], **kw_))
        last = "y2"
        what.append(act)
    batch = "N" if i % 3 == 0 else n
    x_info = helper.make_tensor_value_info("x", onnx_type, [batch, cin, h, w])
    y_info = helper.make_tensor_value_info(last, onnx_type, [None, None, None, None])
    graph = helper.make_graph(nodes, f"g{i}", [x_info], [y_info], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8 if opset < 22 else 10
    if batch == "N":
        n = 2  # the test imports with --batch 2
        what.append("symbolic batch")
    x = rng.standard_normal((n, cin, h, w)).astype(dtype)
    return save(f"{i:03d}", m, x, dtype, ", ".join(what))


made = i = 0
while made < 210:
    made += model(i)
    i += 1

# Bad models: each must be one error line and nothing written.
def bad(name, m):
    onnx.save(m, os.path.join(OUT, name + ".onnx"))


def one(attrs, wdtype=TensorProto.FLOAT, op="ConvTranspose"):
    w = helper.make_tensor("w", wdtype, [2, 2, 3, 3], np.ones(36).astype(np.float16 if wdtype == TensorProto.FLOAT16 else np.float32).tolist())
    node = helper.make_node(op, ["x", "w"], ["y"], name="bad", **attrs)
    g = helper.make_graph([node], "bad", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, None, None, None])], [w])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 11)])


bad("bad_no_convt", one({}, op="Conv"))
bad("bad_float16", one({}, wdtype=TensorProto.FLOAT16))
bad("bad_stride0", one({"strides": [0, 1]}))
bad("bad_negative_pads", one({"pads": [-1, 0, 0, 0]}))
bad("bad_auto_pad", one({"auto_pad": "SAME_MIDDLE"}))
good = open(os.path.join(OUT, "001.onnx"), "rb").read()
open(os.path.join(OUT, "bad_truncated.onnx"), "wb").write(good[: len(good) // 2])

with open(os.path.join(OUT, "models.tsv"), "w") as f:
    f.write("\n".join(lines) + "\n")
print(f"{len(lines)} models in {OUT}")
