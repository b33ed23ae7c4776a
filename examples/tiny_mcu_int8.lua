-- tiny_mcu as TensorFlow Lite holds it after int8 post-training quantization: a TRANSPOSE_CONV
-- with SAME padding, its output_shape tensor (1, 16, 16, 4), per-channel weight scales and a fused
-- RELU6. The numbers are the .tflite tensors' quantization parameters, copied as they are.
return {
  name = "tiny_mcu_i8",
  in_channels = 8, out_channels = 4,
  kernel_size = 3, stride = 2,
  padding = "same", output_size = {16, 16},   -- TransposeConvOptions.padding, the output_shape tensor
  input_shape = {1, 8, 8, 8},                 -- (N, C, H, W) as every spec writes it; the data is NHWC
  dtype = "int8",
  activation = {"clamp", 0, 6},               -- the fused RELU6
  quantization = {
    input_scale = 0.0235294122, input_zero_point = -128,   -- the input tensor's
    output_scale = 0.0235294122, output_zero_point = -128, -- the output tensor's
    weight_scales = {0.00315, 0.00287, 0.00402, 0.00199},  -- the filter tensor's, one per output channel
  },
}
