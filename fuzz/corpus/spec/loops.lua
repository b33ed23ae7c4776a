local t = {}
for i = 1, 3 do t[i] = i end
return {in_channels = 2, out_channels = 2, kernel_size = {t[2], t[3]}, input_shape = {2, 3, 3}, name = "x" .. ("y"):rep(3)}
