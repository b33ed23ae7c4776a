-- template.lua: a small template engine in the style of XNNPACK's xngen.
--
-- A line whose first non-blank character is `$` (not `${`) is Lua code (the `$` removed); every other
-- line is output text in which `${expr}` is replaced by tostring(expr). A text line that is only
-- `${expr}` (after its indentation) and prints nothing is left out. Templates hold structure;
-- the plan has already made every decision and done every sum.
--
-- `$uses a, b, c` lines declare the names a template reads: it sees those (nil where the caller
-- has none) and ipairs, pairs and tostring, nothing else; reading any other name is an error
-- that names it.

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

-- What every template sees besides the names it declares.
local BUILTINS = { _concat = table.concat, _tostring = tostring, ipairs = ipairs, pairs = pairs, tostring = tostring }

-- The Lua chunk that prints template text, and the names its `$uses` lines declare.
function M.lua_source(text, name)
  local code, uses = { "local _out = {}" }, {}
  local n = 0
  for line in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
    n = n + 1
    local lua = line:match("^%s*%$(.*)$")
    local declared = lua and lua:match("^uses%s+(.*)$")
    local indent, alone = line:match("^(%s*)%${([^{}]*)}%s*$")
    if declared then
      for word in declared:gmatch("[^,%s]+") do
        if not word:match("^[%a_][%w_]*$") then error(name .. ":" .. n .. ": $uses takes names, not " .. word, 0) end
        uses[word] = true
      end
      code[#code + 1] = ""
    elseif lua and lua:sub(1, 1) ~= "{" then  -- "${x}" at the start of a line is text
      code[#code + 1] = lua
    elseif alone then -- a line of one optional insertion: nothing when it prints nothing
      code[#code + 1] = string.format("do local _v = (%s); if _v ~= nil and _v ~= '' then " ..
        "_out[#_out + 1] = %q .. _tostring(_v) .. '\\n' end end", alone, indent)
    else
      code[#code + 1] = "_out[#_out + 1] = " .. text_line(line, name .. ":" .. n)
    end
  end
  code[#code + 1] = "return _concat(_out)"
  return table.concat(code, "\n"), uses
end

-- Compiles template text, once, into a function(vars) -> string.
function M.compile(text, name)
  local src, uses = M.lua_source(text, name)
  local vars -- the variables of the render under way
  -- a template sees the names it declares and a few plain functions, not the generator's
  -- globals nor the rest of the plan; it assigns only locals
  local env = setmetatable({}, {
    __index = function(_, k)
      if uses[k] then return vars[k] end
      local v = BUILTINS[k]
      if v == nil then error(string.format("%s reads %s, which its $uses lines do not declare", name, k), 0) end
      return v
    end,
    __newindex = function(_, k) error(string.format("%s assigns %s; a template assigns only locals", name, k), 0) end })
  local fn, err = load(src, "=" .. name, "t", env)
  if not fn then error(err, 0) end
  return function(v)
    local outer = vars
    vars = v
    local ok, out = pcall(fn)
    vars = outer
    if not ok then error(out, 0) end
    return out
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
