-- DCGAN generator, second layer: 512 -> 256 channels, 4x4 -> 8x8.
return {
  in_channels = 512, out_channels = 256,
  kernel_size = 4, stride = 2, padding = 1,
  bias = false,
  name = "dcgan_g2",
  input_shape = {1, 512, 4, 4},
}
