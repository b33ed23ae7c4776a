-- template.lua: a small template engine in the style of XNNPACK's xngen.
--
-- A line whose first non-blank character is `$` (not `${`) is Lua code (the `$` removed); every other
-- line is output text in which `${expr}` is replaced by tostring(expr). Templates hold
-- structure; the plan has already made every decision and done every sum.

local M = {}

-- Splits one text line into a Lua expression that builds it.
local function text_line(line, where)
  local parts, pos = {}, 1
  while true do
    local s = line:find("${", pos, true)
    if not s then break end
    if s > pos then parts[#parts + 1] = string.format("%q", line:sub(pos, s - 1)) end
    local depth, i = 1, s + 2
    while i <= #line and depth > 0 do
      local c = line:sub(i, i)
      if c == "{" then depth = depth + 1 elseif c == "}" then depth = depth - 1 end
      i = i + 1
    end
    if depth > 0 then error(where .. ": unterminated ${", 0) end
    parts[#parts + 1] = "tostring(" .. line:sub(s + 2, i - 2) .. ")"
    pos = i
  end
  if pos <= #line then parts[#parts + 1] = string.format("%q", line:sub(pos)) end
  parts[#parts + 1] = '"\\n"'
  return table.concat(parts, " .. ")
end

local BUILTINS = { ipairs = ipairs, pairs = pairs, tostring = tostring, tonumber = tonumber, type = type,
                   assert = assert, error = error, select = select, next = next, string = string,
                   table = table, math = math }

-- Compiles template text into a function(vars) -> string.
function M.compile(text, name)
  local code = { "local _out = {}" }
  local n = 0
  for line in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
    n = n + 1
    local lua = line:match("^%s*%$(.*)$")
    if lua and lua:sub(1, 1) ~= "{" then  -- "${x}" at the start of a line is text
      code[#code + 1] = lua
    else
      code[#code + 1] = "_out[#_out + 1] = " .. text_line(line, name .. ":" .. n)
    end
  end
  code[#code + 1] = "return table.concat(_out)"
  local src = table.concat(code, "\n")
  return function(vars)
    -- a template sees its variables and Lua's plain functions, not the generator's globals
    local env = setmetatable({}, { __index = function(_, k)
      local v = vars[k]
      if v == nil then v = BUILTINS[k] end
      return v
    end })
    local fn, err = load(src, "=" .. name, "t", env)
    if not fn then error(err, 0) end
    return fn()
  end
end

-- Renders an embedded template file (e.g. "templates/phases.c.in") with vars.
local cache = {}
function M.render(path, vars)
  local fn = cache[path]
  if not fn then
    local text = convtgen_file(path)
    if not text then error("no embedded template " .. path, 0) end
    fn = M.compile(text, path)
    cache[path] = fn
  end
  return fn(vars)
end

return M
