-- ConvTranspose2d(1, 3, kernel_size=1) on the unbatched input [[[8, -3, 0, 1, 5, -2]]]:
-- a worked example whose weights and output PyTorch's documentation prints.
return {
  in_channels = 1, out_channels = 3,
  kernel_size = 1,
  input_shape = {1, 1, 6},  -- unbatched (C, H, W)
}
