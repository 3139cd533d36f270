-- Prints one line "WRK_JSON {...}" when wrk finishes (or is stopped with SIGINT), for bench/run.py.
-- Durations and latencies are microseconds; errors.status counts answers that are not 2xx/3xx.
local function percentiles(latency)
  local parts = {}
  for _, p in ipairs({50, 90, 95, 99}) do
    parts[#parts + 1] = string.format('"p%d": %d', p, latency:percentile(p))
  end
  return table.concat(parts, ", ")
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "max": %d, %s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, percentiles(latency)))
end
