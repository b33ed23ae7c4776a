"""tflm_model.py: a .tflite model of one int8 TRANSPOSE_CONV, written with the TFLite schema's
object API (the copy tflite-micro ships), and run through TensorFlow Lite Micro's interpreter.

The tests' oracle for dtype int8: TFLM's own reference kernel decides every output.
"""
import numpy as np
import flatbuffers

from tflite_micro.python.tflite_micro import runtime
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as fb

ACTIVATIONS = {"none": fb.ActivationFunctionType.NONE, "relu": fb.ActivationFunctionType.RELU,
               "relu6": fb.ActivationFunctionType.RELU6, "relu_n1_to_1": fb.ActivationFunctionType.RELU_N1_TO_1}


def _tensor(name, shape, ttype, buffer, scale=None, zero_point=None, axis=0):
    t = fb.TensorT()
    t.name = name.encode()
    t.shape = list(shape)
    t.type = ttype
    t.buffer = buffer
    if scale is not None:
        q = fb.QuantizationParametersT()
        q.scale = [float(s) for s in scale]
        q.zeroPoint = [int(z) for z in zero_point]
        q.quantizedDimension = axis
        t.quantization = q
    return t


def _buffer(array=None):
    b = fb.BufferT()
    if array is not None:
        b.data = np.frombuffer(np.ascontiguousarray(array).tobytes(), dtype=np.uint8)
    return b


def build(layer, weight, bias):
    """layer: dict with in_channels, out_channels, kernel (kh, kw), stride (sh, sw), padding
    ("same"/"valid"), input (n, h, w), output (oh, ow), input_scale, input_zero_point,
    output_scale, output_zero_point, weight_scales (list, one per output channel), activation.
    weight: int8 (Cout, KH, KW, Cin); bias: int32 (Cout,) or None. Returns the model's bytes."""
    n, h, w = layer["input"]
    oh, ow = layer["output"]
    cout, cin = layer["out_channels"], layer["in_channels"]
    ws = np.asarray(layer["weight_scales"], dtype=np.float32)
    if ws.size == 1:
        ws = np.repeat(ws, cout)
    s_in = np.float32(layer["input_scale"])
    buffers = [_buffer(), _buffer(np.array([n, oh, ow, cout], dtype=np.int32)), _buffer(weight.astype(np.int8))]
    tensors = [
        _tensor("output_shape", [4], fb.TensorType.INT32, 1),
        _tensor("weight", weight.shape, fb.TensorType.INT8, 2, ws, [0] * cout, 0),
        _tensor("input", [n, h, w, cin], fb.TensorType.INT8, 0, [s_in], [layer["input_zero_point"]]),
    ]
    inputs = [0, 1, 2]
    if bias is not None:
        buffers.append(_buffer(bias.astype(np.int32)))
        bias_scales = (np.float64(s_in) * ws.astype(np.float64)).astype(np.float32)
        tensors.append(_tensor("bias", [cout], fb.TensorType.INT32, len(buffers) - 1, bias_scales, [0] * cout, 0))
        inputs.append(len(tensors) - 1)
    else:
        inputs.append(-1)
    tensors.append(_tensor("output", [n, oh, ow, cout], fb.TensorType.INT8, 0, [np.float32(layer["output_scale"])],
                           [layer["output_zero_point"]]))
    out_index = len(tensors) - 1

    opts = fb.TransposeConvOptionsT()
    opts.padding = fb.Padding.SAME if layer["padding"] == "same" else fb.Padding.VALID
    opts.strideH, opts.strideW = layer["stride"]
    opts.fusedActivationFunction = ACTIVATIONS[layer.get("activation", "none")]
    op = fb.OperatorT()
    op.opcodeIndex = 0
    op.inputs = inputs
    op.outputs = [out_index]
    op.builtinOptionsType = fb.BuiltinOptions.TransposeConvOptions
    op.builtinOptions = opts

    sg = fb.SubGraphT()
    sg.tensors = tensors
    sg.inputs = [2]
    sg.outputs = [out_index]
    sg.operators = [op]
    code = fb.OperatorCodeT()
    code.builtinCode = fb.BuiltinOperator.TRANSPOSE_CONV
    code.deprecatedBuiltinCode = fb.BuiltinOperator.TRANSPOSE_CONV
    code.version = 3
    model = fb.ModelT()
    model.version = 3
    model.operatorCodes = [code]
    model.subgraphs = [sg]
    model.buffers = buffers
    model.description = b"convtgen int8 oracle"
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def run(model, x):
    """TFLM's interpreter on the model: x int8 (n, h, w, cin) -> int8 output."""
    interp = runtime.Interpreter.from_bytes(model, arena_size=max(1 << 16, 8 * model.__len__() + (1 << 20)))
    interp.set_input(x, 0)
    interp.invoke()
    return interp.get_output(0).copy()
