return {in_channels = 4, out_channels = 6, kernel_size = 3, input_shape = {1, 4, 5, 7}, groups = 2, dilation = {2, 1}}
