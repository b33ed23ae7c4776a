-- Undo a stride-2 Conv2d on a 12x12 map: output_size picks the output_padding
-- that restores 12x12 from 6x6, as forward(h, output_size=input.size()) does.
return {
  in_channels = 16, out_channels = 16,
  kernel_size = 3, stride = 2, padding = 1,
  input_shape = {1, 16, 6, 6},
  output_size = {1, 16, 12, 12},
}
