-- ConvTranspose2d(2, 3, kernel_size=1, dtype=torch.complex64) on the (1, 2, 3, 1) input
-- [[8, -3, 0], [1, 5, -2]] (imaginary parts 0): the complex64 layer of the tutorial in
-- ../shared/seeds/000_*.txt. `make demo` runs it with the weights examples/demo_data.c writes.
return {
  in_channels = 2, out_channels = 3,
  kernel_size = 1,
  dtype = "complex64",
  input_shape = {1, 2, 3, 1},
}
