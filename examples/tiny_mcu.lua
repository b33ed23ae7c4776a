-- The public suite's tiny_mcu layer: a small decoder step sized for a microcontroller.
return {
  in_channels = 8, out_channels = 4,
  kernel_size = 3, stride = 2, padding = 1, output_padding = 1,
  input_shape = {1, 8, 8, 8},
  name = "tiny_mcu",
}
