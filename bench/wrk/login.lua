-- POST /api/auth/login/ as BENCH_EMAILS (comma-separated), in turn, all with BENCH_PASSWORD.
-- Run from bench/wrk/ (bench/run.py does) so that report.lua is found.
dofile("report.lua")

local bodies = {}
local next_body = 0

init = function(args)
  local password = os.getenv("BENCH_PASSWORD")
  for email in string.gmatch(os.getenv("BENCH_EMAILS"), "[^,]+") do
    bodies[#bodies + 1] = string.format('{"email": "%s", "password": "%s"}', email, password)
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
