-- fold.lua: the last step of every generated C and CUDA file: integer index arithmetic folded
-- where the plan made it constant, so the code says what it computes. It drops `* 1`, `+ 0`,
-- `/ 1` and `0 * x` terms, adds constants, picks the branch of a constant ternary, and turns
-- a local `const int name = constant;` (a loop that runs once, a tile's fixed row) into that
-- constant where it is used.
--
-- It rewrites only what it can prove: an expression of identifiers, integer literals, + - * / %,
-- comparisons, && || and ?: (no calls, casts, members, indexing or floating-point literals),
-- standing alone between an assignment, a bracket, a comma or a semicolon and the next such
-- boundary, so nothing around it binds tighter. Preprocessor lines, comments and strings are
-- left as they are.

local M = {}

-- Tokens of one line: { kind, text } with kind "id", "int", "op" (the expression grammar's
-- operators and parentheses) or "other" (everything else: other punctuation, floats, comments,
-- strings), and "space" runs kept for printing back.
local GRAMMAR_OPS = { ["+"] = true, ["-"] = true, ["*"] = true, ["/"] = true, ["%"] = true, ["<"] = true,
                      [">"] = true, ["<="] = true, [">="] = true, ["=="] = true, ["!="] = true, ["&&"] = true,
                      ["||"] = true, ["?"] = true, [":"] = true, ["("] = true, [")"] = true }
local PUNCT3 = { ["<<="] = true, [">>="] = true }
local PUNCT2 = { ["<="] = true, [">="] = true, ["=="] = true, ["!="] = true, ["&&"] = true, ["||"] = true,
                 ["->"] = true, ["++"] = true, ["--"] = true, ["+="] = true, ["-="] = true, ["*="] = true,
                 ["/="] = true, ["%="] = true, ["&="] = true, ["|="] = true, ["^="] = true, ["<<"] = true,
                 [">>"] = true, ["##"] = true }

local function tokenize(line)
  local toks, i, n = {}, 1, #line
  while i <= n do
    local s, e = line:find("^[%a_][%w_]*", i)
    if s then
      toks[#toks + 1] = { "id", line:sub(s, e) }
    else
      s, e = line:find("^%s+", i)
      if s then
        toks[#toks + 1] = { "space", line:sub(s, e) }
      else
        s, e = line:find("^%d+", i)
        local more = s and line:find("^[%w_.]", e + 1)
        if s and not more then
          toks[#toks + 1] = { "int", line:sub(s, e) }
        elseif s or line:find("^%.%d", i) then
          -- a floating-point or suffixed literal (an exponent's sign belongs to it: 1e-5f)
          s, e = line:find("^[%w_.]+", i)
          while line:sub(e, e):match("[eEpP]") and line:find("^[+-][%w_.]+", e + 1) do
            local _, e2 = line:find("^[+-][%w_.]+", e + 1)
            e = e2
          end
          toks[#toks + 1] = { "other", line:sub(i, e) }
        else
          local two = line:sub(i, i + 1)
          if two == "/*" then
            e = line:find("*/", i + 2, true)
            e = e and e + 1 or n
          elseif two == "//" then
            e = n
          else
            local c = line:sub(i, i)
            if c == '"' or c == "'" then
              e = i + 1
              while e <= n and line:sub(e, e) ~= c do
                if line:sub(e, e) == "\\" then e = e + 1 end
                e = e + 1
              end
            elseif PUNCT3[line:sub(i, i + 2)] then e = i + 2
            elseif PUNCT2[two] then e = i + 1
            else e = i end
          end
          local text = line:sub(i, e)
          toks[#toks + 1] = { GRAMMAR_OPS[text] and "op" or "other", text }
        end
      end
    end
    i = e + 1
  end
  return toks
end

-- Expression nodes: { "int", v } | { "id", name } | { "neg", a } | { op, a, b } | { "?", c, a, b }.
local BINARY = {
  ["||"] = 1, ["&&"] = 2, ["=="] = 3, ["!="] = 3, ["<"] = 4, [">"] = 4, ["<="] = 4, [">="] = 4,
  ["+"] = 5, ["-"] = 5, ["*"] = 6, ["/"] = 6, ["%"] = 6,
}

local INT_TYPES = { int = true, long = true, unsigned = true, short = true, signed = true, size_t = true }

-- A parser over the non-space tokens list t from index i; returns node, next index (or nil).
local function parse(t, i)
  local function primary(j)
    local tk = t[j]
    if not tk then return nil end
    if tk[1] == "int" then return { "int", math.tointeger(tonumber(tk[2])) }, j + 1 end
    if tk[1] == "id" then
      local name, k = tk[2], j + 1
      -- a member of a built-in (threadIdx.y) is one operand
      while t[k] and t[k][2] == "." and t[k + 1] and t[k + 1][1] == "id" do name, k = name .. "." .. t[k + 1][2], k + 2 end
      if t[k] and (t[k][2] == "(" or t[k][2] == "[" or t[k][2] == "->" or t[k][2] == ".") then return nil end -- a call, an element
      return { "id", name }, k
    end
    if tk[2] == "(" and t[j + 1] and INT_TYPES[t[j + 1][2]] then
      -- an integer cast, "(long long)n": kept as written around its operand, never folded through
      local k, words = j + 1, {}
      while t[k] and INT_TYPES[t[k][2]] do words[#words + 1] = t[k][2]; k = k + 1 end
      if not t[k] or t[k][2] ~= ")" then return nil end
      local a, m = primary(k + 1)
      if not a then return nil end
      return { "cast", "(" .. table.concat(words, " ") .. ")", a }, m
    end
    if tk[2] == "-" then
      local a, k = primary(j + 1)
      if not a then return nil end
      return { "neg", a }, k
    end
    return nil
  end
  local expr
  local function binary(j, min)
    local lhs, k = primary(j)
    if not lhs then
      if t[j] and t[j][2] == "(" then
        local inner, m = expr(j + 1)
        if not inner or not t[m] or t[m][2] ~= ")" then return nil end
        local after = t[m + 1]
        -- "(type)x" is a cast: an identifier or another "(" right after ")"
        if inner[1] == "id" and after and (after[1] == "id" or after[1] == "int" or after[2] == "(") then return nil end
        lhs, k = inner, m + 1
      else
        return nil
      end
    end
    while t[k] and BINARY[t[k][2]] and BINARY[t[k][2]] >= min do
      local op, prec = t[k][2], BINARY[t[k][2]]
      local rhs, m = binary(k + 1, prec + 1)
      if not rhs then return nil end
      lhs, k = { op, lhs, rhs }, m
    end
    return lhs, k
  end
  expr = function(j)
    local c, k = binary(j, 1)
    if not c then return nil end
    if t[k] and t[k][2] == "?" then
      local a, m = expr(k + 1)
      if not a or not t[m] or t[m][2] ~= ":" then return nil end
      local b, q = expr(m + 1)
      if not b then return nil end
      return { "?", c, a, b }, q
    end
    return c, k
  end
  return expr(i)
end

local function is_int(n, v) return n[1] == "int" and (v == nil or n[2] == v) end

-- C's truncating division and remainder on non-negative operands only (else nil: left alone).
local function arith(op, a, b)
  if op == "+" then return a + b elseif op == "-" then return a - b elseif op == "*" then return a * b end
  if op == "/" or op == "%" then
    if b <= 0 or a < 0 then return nil end
    return op == "/" and a // b or a % b
  end
  local truth = { ["<"] = a < b, [">"] = a > b, ["<="] = a <= b, [">="] = a >= b, ["=="] = a == b, ["!="] = a ~= b,
                  ["&&"] = a ~= 0 and b ~= 0, ["||"] = a ~= 0 or b ~= 0 }
  if truth[op] == nil then return nil end
  return truth[op] and 1 or 0
end

local INT_LIMIT = 1 << 31 -- folded values stay in int's range, as the unfolded code computed them

local simplify
-- A sum's terms: { sign, node } list (a + b - c), its constants added into one.
local function sum_terms(n, sign, out)
  if n[1] == "+" or n[1] == "-" then
    sum_terms(n[2], sign, out)
    sum_terms(n[3], n[1] == "-" and -sign or sign, out)
  else
    out[#out + 1] = { sign, n }
  end
  return out
end

simplify = function(n)
  local op = n[1]
  if op == "int" or op == "id" then return n end
  if op == "cast" then return { "cast", n[2], simplify(n[3]) } end
  if op == "neg" then
    local a = simplify(n[2])
    if is_int(a) then return { "int", -a[2] } end
    return { "neg", a }
  end
  if op == "?" then
    local c, a, b = simplify(n[2]), simplify(n[3]), simplify(n[4])
    if is_int(c) then return c[2] ~= 0 and a or b end
    return { "?", c, a, b }
  end
  local a, b = simplify(n[2]), simplify(n[3])
  if is_int(a) and is_int(b) then
    local v = arith(op, a[2], b[2])
    if v and v > -INT_LIMIT and v < INT_LIMIT then return { "int", v } end
  end
  if op == "*" then
    if is_int(a, 1) then return b end
    if is_int(b, 1) then return a end
    if is_int(a, 0) or is_int(b, 0) then return { "int", 0 } end
  elseif op == "/" and is_int(b, 1) then
    return a
  elseif op == "+" or op == "-" then
    local terms, const, kept = sum_terms({ op, a, b }, 1, {}), 0, {}
    for _, tm in ipairs(terms) do
      if is_int(tm[2]) then
        const = const + tm[1] * tm[2][2]
      else
        -- a name added and taken away again: by - by
        local cancelled = false
        for q = #kept, 1, -1 do
          local o = kept[q]
          if tm[2][1] == "id" and o[2][1] == "id" and o[2][2] == tm[2][2] and o[1] == -tm[1] then
            table.remove(kept, q)
            cancelled = true
            break
          end
        end
        if not cancelled then kept[#kept + 1] = tm end
      end
    end
    if const <= -INT_LIMIT or const >= INT_LIMIT then return { op, a, b } end
    if const ~= 0 then
      local c = const > 0 and { 1, { "int", const } } or { -1, { "int", -const } }
      -- 256 - cob * 16, not -(cob * 16) + 256
      if #kept > 0 and kept[1][1] < 0 and const > 0 then table.insert(kept, 1, c) else kept[#kept + 1] = c end
    end
    if #kept == 0 then return { "int", 0 } end
    local out = kept[1][1] > 0 and kept[1][2] or { "neg", kept[1][2] }
    for k = 2, #kept do out = { kept[k][1] > 0 and "+" or "-", out, kept[k][2] } end
    return out
  end
  return { op, a, b }
end

-- C text of a node, parenthesized where precedence needs it.
local function print_node(n, min)
  min = min or 0
  local op = n[1]
  if op == "int" then return n[2] < 0 and (min > 0 and "(" .. n[2] .. ")" or tostring(n[2])) or tostring(n[2]) end
  if op == "id" then return n[2] end
  if op == "cast" then
    local s = n[2] .. print_node(n[3], 7)
    return min > 6 and "(" .. s .. ")" or s
  end
  if op == "neg" then
    local s = "-" .. print_node(n[2], 7)
    return min > 6 and "(" .. s .. ")" or s
  end
  if op == "?" then
    local s = print_node(n[2], 1) .. " ? " .. print_node(n[3], 0) .. " : " .. print_node(n[4], 0)
    return min > 0 and "(" .. s .. ")" or s
  end
  local prec = BINARY[op]
  local s = print_node(n[2], prec) .. " " .. op .. " " .. print_node(n[3], prec + 1)
  return prec < min and "(" .. s .. ")" or s
end

local LEFT_OK = { ["("] = true, ["["] = true, [","] = true, ["="] = true, [";"] = true, ["{"] = true,
                  ["}"] = true, ["return"] = true, ["+="] = true, ["-="] = true, ["*="] = true, ["/="] = true,
                  ["%="] = true }
local RIGHT_OK = { [")"] = true, ["]"] = true, [","] = true, [";"] = true }

-- One line with its bound constants substituted and its standalone expressions folded.
local function fold_line(line, bound)
  local toks = tokenize(line)
  local t, at = {}, {} -- the non-space tokens and their index in toks
  for k, tk in ipairs(toks) do
    if tk[1] ~= "space" then
      if tk[1] == "id" and bound[tk[2]] then
        local prev = t[#t]
        if not (prev and (prev[2] == "." or prev[2] == "->")) then
          tk = { "int", tostring(bound[tk[2]]) }
          toks[k] = tk
        end
      end
      t[#t + 1], at[#t + 1] = tk, k
    end
  end
  local out, j = {}, 1
  local function emit_range(from_tok, to_tok) -- toks indices, inclusive
    for k = from_tok, to_tok do out[#out + 1] = toks[k][2] end
  end
  local last_tok = 0 -- last toks index written
  while j <= #t do
    local left = t[j - 1]
    if (left == nil or LEFT_OK[left[2]]) and (t[j][1] ~= "op" or t[j][2] == "(" or t[j][2] == "-") then
      local node, k = parse(t, j)
      if node and k > j + 1 and (t[k] == nil or RIGHT_OK[t[k][2]]) then
        local folded = print_node(simplify(node))
        emit_range(last_tok + 1, at[j] - 1)
        out[#out + 1] = folded
        last_tok = at[k - 1]
        j = k
      else
        j = j + 1
      end
    else
      j = j + 1
    end
  end
  emit_range(last_tok + 1, #toks)
  return table.concat(out)
end

-- A brace's effect on the depth, outside comments and strings.
local function braces(line)
  if not line:find("[{}]") then return 0, 0 end
  local stripped = line
  if line:find("[/\"']") then
    stripped = line:gsub("/%*.-%*/", ""):gsub('"[^"]*"', ""):gsub("'[^']*'", ""):gsub("//.*$", "")
  end
  local _, opens = stripped:gsub("{", "")
  local _, closes = stripped:gsub("}", "")
  return opens, closes
end

-- Lines worth parsing: text a foldable term contains (checked precisely when parsed): x * 1,
-- x + 0, x / 1, x - 0, 0 * x, 1 * x.
local CANDIDATE = { "[-+*/] [01]%f[^%w_.]", "%f[%w_.][01] %*" }

-- The names a line declares, assigns, increments or takes the address of (a name so used in a
-- binding's scope is not a constant there: left alone). Generous: a false hit only folds less.
local function writes_of(line, k, writes)
  local function add(name)
    local list = writes[name]
    if not list then list = {}; writes[name] = list end
    if list[#list] ~= k then list[#list + 1] = k end
  end
  if line:find("int", 1, true) then for name in line:gmatch("%f[%w_]int%s+([%a_][%w_]*)") do add(name) end end
  local at = line:find("=", 1, true)
  while at do -- the name before each "=" that is not part of "==", "<=", ">=" or "!="
    local after, before = line:sub(at + 1, at + 1), line:sub(at - 1, at - 1)
    if after == "=" then
      at = at + 1
    elseif before ~= "=" and before ~= "<" and before ~= ">" and before ~= "!" then
      local name = line:sub(1, at - 1):reverse():match("^[-+*/%%&|^]?%s*([%w_]+)")
      if name then add(name:reverse()) end
    end
    at = line:find("=", at + 1, true)
  end
  if line:find("&", 1, true) then for name in line:gmatch("&%s*([%a_][%w_]*)") do add(name) end end
  for _, op in ipairs({ "++", "--" }) do
    local at = line:find(op, 1, true)
    while at do
      local before = line:sub(1, at - 1):reverse():match("^%s*([%w_]+)")
      if before then add(before:reverse()) end
      local after = line:match("^%s*([%a_][%w_]*)", at + 2)
      if after then add(after) end
      at = line:find(op, at + 2, true)
    end
  end
end

-- Whether list (ascending line numbers) holds one in first..last.
local function any_in(list, first, last)
  if not list then return false end
  local lo, hi = 1, #list
  while lo <= hi do -- the first entry >= first
    local mid = (lo + hi) // 2
    if list[mid] < first then lo = mid + 1 else hi = mid - 1 end
  end
  return list[lo] ~= nil and list[lo] <= last
end

-- The folded text of a generated file.
function M.source(text)
  local lines, in_comment, writes = {}, false, {}
  for line in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
    local trimmed = line:match("^%s*(.-)$")
    local code = not in_comment and trimmed:sub(1, 1) ~= "#" and trimmed:sub(1, 2) ~= "/*" and
                 trimmed:sub(1, 2) ~= "* " and trimmed ~= "*/" and trimmed ~= "*"
    if not in_comment and trimmed:find("/*", 1, true) and not trimmed:find("*/", 1, true) then in_comment = true
    elseif in_comment and trimmed:find("*/", 1, true) then in_comment = false end
    local opens, closes = 0, 0
    if code then opens, closes = braces(line) end
    lines[#lines + 1] = { text = line, code = code, opens = opens, closes = closes }
    if code then writes_of(line, #lines, writes) end
  end
  -- each line's depth before it; then, per line, where a binding made on it would end: the
  -- first later line that leaves its level (a "}" first on a line at that level, or any line
  -- at a lower level), for a binding at the line's level and for one a block it opens holds
  local depth, deepest = 0, 0
  for _, l in ipairs(lines) do
    l.depth = depth
    depth = depth + l.opens - l.closes
    deepest = math.max(deepest, depth, l.depth)
  end
  local next_stop = {}
  for k = #lines, 1, -1 do
    local l = lines[k]
    l.end_here, l.end_inner = (next_stop[l.depth] or #lines + 1) - 1, (next_stop[l.depth + 1] or #lines + 1) - 1
    local from = l.code and l.text:match("^%s*}") and l.depth or l.depth + 1
    for b = math.max(from, 0), deepest + 1 do next_stop[b] = k end
  end
  local out, bound, stack = {}, {}, {}
  depth = 0
  for k, l in ipairs(lines) do
    local line = l.text
    -- a line that starts by closing a block ends the bindings made in it ("} else {" too)
    while l.code and #stack > 0 and stack[#stack].depth >= l.depth and line:match("^%s*}") do
      bound[stack[#stack].name] = nil
      stack[#stack] = nil
    end
    if l.code then
      local candidate = false
      for _, b in ipairs(stack) do
        if line:find(b.pattern) then candidate = true; break end
      end
      if not candidate and line:find("[01]") then
        for _, pat in ipairs(CANDIDATE) do
          if candidate then break end
          candidate = line:find(pat) ~= nil
        end
      end
      if candidate then
        line = fold_line(line, bound)
      end
      -- "{ const int v = 3;" opens a block that runs once; "const int v = 3;" binds v to the end
      -- of the enclosing block (as written, or once folded: "const int qh = qt;" in qt's block)
      local indent, open, name, value
      if line:find("const int", 1, true) then
        indent, open, name, value = line:match("^(%s*)({?)%s*const int ([%a_][%w_]*) = (%-?%d+);%s*$")
      end
      if name and not bound[name] then
        local bind_depth = depth + (open == "{" and 1 or 0)
        local last = open == "{" and l.end_inner or l.end_here
        if not any_in(writes[name], k + 1, last) then
          bound[name] = math.tointeger(tonumber(value))
          stack[#stack + 1] = { name = name, depth = bind_depth, pattern = "%f[%w_]" .. name .. "%f[^%w_]" }
          if open == "{" then out[#out + 1] = indent .. "{" end
          depth = depth + l.opens - l.closes
          goto next_line
        end
      end
      depth = depth + l.opens - l.closes
      while #stack > 0 and stack[#stack].depth > depth do
        bound[stack[#stack].name] = nil
        stack[#stack] = nil
      end
    end
    out[#out + 1] = line
    ::next_line::
  end
  return table.concat(out, "\n") .. "\n"
end

return M
