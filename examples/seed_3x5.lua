-- The example from PyTorch's ConvTranspose2d documentation: non-square kernel,
-- unequal stride, and padding that is not a multiple of the stride.
return {
  in_channels = 16, out_channels = 33,
  kernel_size = {3, 5},
  stride = {2, 1},
  padding = {4, 2},
  input_shape = {20, 16, 50, 100},
}
