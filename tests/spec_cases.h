/* spec_cases.h: every way a spec can be wrong, with the words its error must contain.
 * test_spec.c checks each through the library (status and message), test_cli.c through
 * `convtgen info` (exit status 2 and one error line). */
#ifndef CTG_SPEC_CASES_H
#define CTG_SPEC_CASES_H

typedef struct spec_case {
  const char *rule;    /* the validation rule, as the closing note lists it */
  const char *source;  /* the spec */
  const char *message; /* what the error must say */
} spec_case;

#define BASE "in_channels = 4, out_channels = 6, kernel_size = 3, "
#define IN "input_shape = {2, 4, 5, 7}"

static const spec_case SPEC_ERRORS[] = {
  /* structure */
  { "spec returns a table", "return 42", "the spec must return a table, got number" },
  { "spec returns a table", "local x = 1", "the spec must return a table, got nothing" },
  { "unknown key (typo)", "return {" BASE IN ", strides = 2}", "unknown key 'strides' (did you mean 'stride'?)" },
  { "unknown key", "return {" BASE IN ", colour = 'red'}", "unknown key 'colour'" },
  { "positional entry", "return {" BASE IN ", 5}", "positional entry [1]" },
  { "Lua syntax error", "return {in_channels = }", "unexpected symbol" },
  { "error raised by the spec", "error('custom failure')", "custom failure" },
  { "error object that is not a string", "error({})", "raised an error (a table, not a message)" },
  { "value of an unsupported type", "return {" BASE IN ", name = print}", "'print' is not available" },
  { "value of an unsupported type", "return {" BASE IN ", name = function() end}",
    "name: expected a number, string, boolean or table, got a function" },
  { "self-referencing table", "local t = {} t[1] = t return {" BASE IN ", stride = t}", "nested too deeply" },
  /* sandbox */
  { "sandbox: io", "return io.open('/etc/passwd')", "'io' is not available in a spec" },
  { "sandbox: os", "os.execute('touch /tmp/pwned')", "'os' is not available in a spec" },
  { "sandbox: require", "require('os')", "'require' is not available in a spec" },
  { "sandbox: load", "load('return 1')()", "'load' is not available in a spec" },
  { "sandbox: loadstring", "loadstring('return 1')()", "'loadstring' is not available in a spec" },
  { "sandbox: dofile", "dofile('/etc/passwd')", "'dofile' is not available in a spec" },
  { "sandbox: loadfile", "loadfile('/etc/passwd')", "'loadfile' is not available in a spec" },
  { "sandbox: debug", "debug.sethook()", "'debug' is not available in a spec" },
  { "sandbox: collectgarbage", "collectgarbage()", "'collectgarbage' is not available in a spec" },
  { "sandbox: string.dump", "return string.dump(function() end)", "attempt to call a nil value (field 'dump')" },
  { "sandbox: endless loop", "while true do end", "ran over 10 million Lua instructions" },
  { "sandbox: endless loop hidden in pcall", "while true do pcall(function() while true do end end) end",
    "ran over 10 million Lua instructions" },
  { "sandbox: memory limit", "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(4096) .. i end",
    "used more than 16 MiB of memory" },
  { "sandbox: one huge allocation", "return {name = ('x'):rep(1 << 30)}", "used more than 16 MiB of memory" },
  { "sandbox: bytecode", "\x1bLua\x54\x00", "precompiled Lua bytecode" },
  { "sandbox: xpcall", "xpcall(function() while true do end end, function() while true do end end)",
    "'xpcall' is not available in a spec" },
  { "sandbox: string.rep of nothing", "return {name = string.rep('', 1 << 62)}", "string.rep: 4611686018427387904 copies" },
  { "sandbox: table.move", "table.move({}, 1, 1 << 40, 2)", "table.move: more than 1048576 elements" },
  /* Python habits: a silent nil would change the layer */
  { "Python False", "return {" BASE IN ", bias = False}", ":1: 'False' is not defined; Lua spells it false" },
  { "Python True", "return {" BASE IN ", bias = True}", "'True' is not defined; Lua spells it true" },
  { "Python None", "return {" BASE IN ", output_padding = None}", "'None' is not defined; Lua spells it nil" },
  { "an undefined name", "return {" BASE IN ", dtype = float64}", "'float64' is not defined (a misspelled name, "
    "or a string without quotes?)" },
  { "Python tuple", "return {in_channels = 4, out_channels = 6, kernel_size = (3, 3), " IN "}",
    "(a pair is written {4, 4} in Lua, not (4, 4))" },
  { "Python list", "return {in_channels = 4, out_channels = 6, kernel_size = [3, 3], " IN "}",
    "(a list is written {4, 4} in Lua)" },
  { "Python comment", "# a layer\nreturn {" BASE IN "}", "(a comment starts with -- in Lua)" },
  /* one line, whatever the spec's own message holds */
  { "an error with newlines and escapes", "error('first\\nsecond\\27[31m', 0)", "first\\nsecond\\x1b[31m" },
  /* the generator's limits */
  { "stride over the limit", "return {" BASE IN ", stride = {1, 1025}}",
    "stride: (1, 1025) is over the generator's limit of 1024 per dimension" },
  { "kernel over the limit", "return {in_channels = 4, out_channels = 6, kernel_size = 2000, " IN "}",
    "kernel_size: (2000, 2000) is over the generator's limit of 1024 per dimension" },
  /* required keys and positivity */
  { "in_channels required", "return {out_channels = 6, kernel_size = 3, " IN "}", "in_channels: is required" },
  { "out_channels required", "return {in_channels = 4, kernel_size = 3, " IN "}", "out_channels: is required" },
  { "kernel_size required", "return {in_channels = 4, out_channels = 6, " IN "}", "kernel_size: is required" },
  { "input_shape required", "return {" BASE "}", "input_shape: is required" },
  { "non-positive in_channels", "return {in_channels = 0, out_channels = 6, kernel_size = 3, " IN "}",
    "in_channels: must be a positive integer, got 0" },
  { "non-positive out_channels", "return {in_channels = 4, out_channels = -6, kernel_size = 3, " IN "}",
    "out_channels: must be a positive integer, got -6" },
  { "non-positive kernel_size", "return {in_channels = 4, out_channels = 6, kernel_size = {3, 0}, " IN "}",
    "kernel_size: must be positive, got (3, 0)" },
  { "non-positive stride", "return {" BASE IN ", stride = 0}", "stride: must be positive, got (0, 0)" },
  { "non-positive dilation", "return {" BASE IN ", dilation = {1, -2}}", "dilation: must be positive, got (1, -2)" },
  { "non-positive groups", "return {" BASE IN ", groups = 0}", "groups: must be a positive integer, got 0" },
  { "negative padding", "return {" BASE IN ", padding = {-1, 0}}", "padding: must not be negative, got (-1, 0)" },
  { "negative asymmetric padding", "return {" BASE IN ", padding = {0, 0, -1, 0}}",
    "padding: must not be negative, got (0, 0, -1, 0)" },
  { "padding of three", "return {" BASE IN ", padding = {1, 2, 3}}",
    "padding: expected an integer, a pair {h, w} or {top, left, bottom, right}, got a table with 3 entries" },
  { "asymmetric padding cropping everything", "return {" BASE IN ", padding = {0, 0, 9, 0}}",
    "padding: the output size would be -2x9 for an input of 5x7" },
  { "asymmetric padding of floats", "return {" BASE IN ", padding = {0, 0, 1.5, 0}}",
    "padding: expected an integer in {top, left, bottom, right}, got 1.5 (a float)" },
  { "negative output_padding", "return {" BASE IN ", stride = 2, output_padding = -1}",
    "output_padding: must not be negative" },
  /* groups */
  { "in_channels divisible by groups", "return {in_channels = 4, out_channels = 6, kernel_size = 3, groups = 3, "
    "input_shape = {1, 4, 5, 5}}", "groups: in_channels (4) must be divisible by groups (3)" },
  { "out_channels divisible by groups", "return {in_channels = 4, out_channels = 6, kernel_size = 3, groups = 4, "
    "input_shape = {1, 4, 5, 5}}", "groups: out_channels (6) must be divisible by groups (4)" },
  /* output_padding and output_size */
  { "output_padding smaller than stride or dilation", "return {" BASE IN ", output_padding = 1}",
    "output_padding: must be smaller than either stride or dilation, got output_padding (1, 1) "
    "with stride (1, 1) and dilation (1, 1)" },
  { "output_padding smaller than stride or dilation", "return {" BASE IN ", stride = 2, dilation = 3, "
    "output_padding = {2, 3}}", "output_padding: must be smaller than either stride or dilation" },
  { "unreachable output_size", "return {in_channels = 16, out_channels = 16, kernel_size = 3, stride = 2, "
    "padding = 1, input_shape = {1, 16, 6, 6}, output_size = {13, 12}}",
    "output_size: requested an output height of 13, but valid sizes range from 11 to 12 (for an input of 6x6)" },
  { "unreachable output_size", "return {in_channels = 16, out_channels = 16, kernel_size = 3, stride = 2, "
    "padding = 1, input_shape = {1, 16, 6, 6}, output_size = {12, 10}}",
    "output_size: requested an output width of 10, but valid sizes range from 11 to 12" },
  { "output_size length", "return {" BASE IN ", output_size = {1, 2, 3}}",
    "output_size: for 4-D input it must have 2 or 4 elements, got 3" },
  { "output_size length (unbatched)", "return {" BASE "input_shape = {4, 5, 7}, output_size = {1, 6, 7, 9}}",
    "output_size: for 3-D input it must have 2 or 3 elements, got 4" },
  { "output_size type", "return {" BASE IN ", output_size = 12}", "output_size: expected a list {H, W}" },
  /* padding_mode */
  { "padding_mode other than zeros", "return {" BASE IN ", padding_mode = 'reflect'}",
    "padding_mode: only 'zeros' is supported for ConvTranspose2d, got \"reflect\"" },
  { "padding_mode type", "return {" BASE IN ", padding_mode = 0}", "padding_mode: expected a string" },
  /* input shape */
  { "input channels equal in_channels", "return {" BASE "input_shape = {2, 5, 5, 7}}",
    "input_shape: has 5 channels but in_channels is 4" },
  { "input_shape rank", "return {" BASE "input_shape = {5, 7}}",
    "input_shape: expected {N, C, H, W} or unbatched {C, H, W}, got a table with 2 entries" },
  { "non-positive spatial size", "return {" BASE "input_shape = {1, 4, 0, 7}}",
    "input_shape: channels, height and width must be positive, got (1, 4, 0, 7)" },
  { "negative batch", "return {" BASE "input_shape = {-1, 4, 5, 7}}", "input_shape: batch size must not be negative" },
  { "non-positive computed output size", "return {in_channels = 4, out_channels = 6, kernel_size = 1, "
    "padding = {0, 3}, input_shape = {1, 4, 5, 5}}",
    "padding: the output size would be 5x-1 for an input of 5x5; it must be positive" },
  /* types */
  { "float where an integer is required", "return {in_channels = 64 / 16, out_channels = 6, kernel_size = 3, " IN "}",
    "in_channels: expected an integer, got 4 (a float); use // for integer division" },
  { "float where an integer is required", "return {" BASE IN ", stride = 1.5}",
    "stride: expected an integer or a pair {h, w}, got 1.5 (a float)" },
  { "string for a number", "return {in_channels = '4', out_channels = 6, kernel_size = 3, " IN "}",
    "in_channels: expected an integer, got a string \"4\"" },
  { "pair with three entries", "return {" BASE IN ", stride = {1, 2, 3}}",
    "stride: expected an integer or a pair {h, w}, got a table with 3 entries" },
  { "pair with named entries", "return {" BASE IN ", stride = {h = 1, w = 2}}",
    "stride: expected an integer or a pair {h, w}" },
  { "bias type", "return {" BASE IN ", bias = 1}", "bias: expected true or false, got 1" },
  { "input_shape entry type", "return {" BASE "input_shape = {1, 4, 5.5, 7}}", "input_shape: expected an integer" },
  { "integer out of range", "return {" BASE IN ", stride = 1 << 40}", "stride: 1099511627776 is out of range" },
  { "name is a C identifier", "return {" BASE IN ", name = '2fast'}", "name: \"2fast\" is not a C identifier" },
  { "name is a C identifier", "return {" BASE IN ", name = 'a-b'}", "is not a C identifier" },
  { "name is not a C keyword", "return {" BASE IN ", name = 'static'}", "name: \"static\" is a C keyword" },
  { "name length", "return {" BASE IN ", name = ('a'):rep(64)}", "name: is 64 characters long; the limit is 63" },
  { "dtype known", "return {" BASE IN ", dtype = 'half'}", "dtype: unknown dtype \"half\"" },
  { "dtype is a string", "return {" BASE IN ", dtype = 64}", "dtype: expected a string, got 64" },
  { "unroll setting", "return {" BASE IN ", unroll = 'lots'}", "unroll: expected one of none, taps, auto, full" },
  { "memory_format name", "return {" BASE IN ", memory_format = 'nhwc'}",
    "memory_format: expected one of contiguous, channels_last, got \"nhwc\"" },
  { "memory_format type", "return {" BASE IN ", memory_format = true}",
    "memory_format: expected one of contiguous, channels_last, got true" },
  { "threads range", "return {" BASE IN ", threads = 0}", "threads: must be between 1 and 256, got 0" },
  /* activation */
  { "activation known", "return {" BASE IN ", activation = 'gelu'}",
    "activation: unknown activation \"gelu\"; expected one of relu, leaky_relu, tanh, sigmoid, clamp" },
  { "activation is a name", "return {" BASE IN ", activation = 1}", "activation: expected one of relu" },
  { "activation parameters", "return {" BASE IN ", activation = {'relu', 1}}", "activation: \"relu\" takes 0 parameters, got 1" },
  { "activation parameters", "return {" BASE IN ", activation = 'clamp'}",
    "activation: \"clamp\" takes 2 parameters ({\"clamp\", min, max}), got 0" },
  { "activation parameters", "return {" BASE IN ", activation = {'leaky_relu', 0.1, 2}}",
    "activation: \"leaky_relu\" takes 1 parameter ({\"leaky_relu\", slope}), got 2" },
  { "activation parameter type", "return {" BASE IN ", activation = {'leaky_relu', 'big'}}",
    "activation: leaky_relu's slope: expected a number, got \"big\"" },
  { "activation parameter NaN", "return {" BASE IN ", activation = {'clamp', 0/0, 1}}", "activation: clamp's min: NaN" },
  { "activation parameter finite", "return {" BASE IN ", activation = {'leaky_relu', math.huge}}",
    "activation: leaky_relu's slope must be finite" },
  { "activation clamp range", "return {" BASE IN ", activation = {'clamp', 6, 0}}",
    "activation: clamp's min (6) is larger than its max (0)" },
  { "activation named entries", "return {" BASE IN ", activation = {kind = 'relu'}}",
    "activation: expected a name or a list {name, parameters...}" },
  { "activation on complex", "return {" BASE IN ", dtype = 'complex64', activation = 'relu'}",
    "activation: complex64 has no order; activations need a real dtype" },
  /* sizes */
  { "32-bit indexing", "return {in_channels = 64, out_channels = 64, kernel_size = 3, stride = 16, "
    "input_shape = {64, 64, 128, 128}}", "the output tensor (64, 64, 2035, 2035) would have" },
  { "32-bit indexing", "return {in_channels = 4, out_channels = 4, kernel_size = 3, dilation = 1 << 30, "
    "input_shape = {1, 4, 5, 5}}", "larger than 32-bit indexing allows" },
  { "memory cap", "return {in_channels = 512, out_channels = 512, kernel_size = 4, stride = 2, padding = 1, "
    "input_shape = {32, 512, 128, 128}}", "over the 4 GiB cap" },
};

#define N_SPEC_ERRORS (sizeof SPEC_ERRORS / sizeof SPEC_ERRORS[0])

#undef BASE
#undef IN
#endif
