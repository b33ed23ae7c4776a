return {in_channels = 4, out_channels = 6, kernel_size = 3, input_shape = {1, 4, 5, 7}, bias = false, stride = 2, padding = 1, output_padding = 1}
