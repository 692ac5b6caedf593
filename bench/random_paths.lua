-- wrk script: each request asks for a random path from the file named by BENCH_PATHS, so no
-- two requests in a row hit the same page (the uncached figures are real).
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  paths[#paths + 1] = line
end

local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  -- A different sequence in each wrk thread.
  math.randomseed(os.time() + id * 7919)
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
