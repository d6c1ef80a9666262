-- wrk script for bench/load.py: request a list of paths in turn, each optionally with If-None-Match, and count
-- the answers by status.
--
--   WRK_PATHS=paths.txt wrk -t2 -c16 -d10s -s bench/wrk/paths.lua http://127.0.0.1:8000
--
-- paths.txt holds one request per line: a path, or a path, a tab and the ETag to send in If-None-Match.
-- At the end it prints one line: "WRK_RESULT {json}" with requests, seconds, socket errors, non-2xx/3xx count,
-- latency percentiles in microseconds and the count of each status.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads)
end

function init(args)
  local file = os.getenv("WRK_PATHS")
  assert(file, "set WRK_PATHS to the file of paths")
  requests = {}
  for line in io.lines(file) do
    local path, etag = line:match("^([^\t]+)\t?(.*)$")
    if path then
      local headers = {}
      if etag ~= "" then
        headers["If-None-Match"] = etag
      end
      table.insert(requests, wrk.format("GET", path, headers))
    end
  end
  assert(#requests > 0, "no paths in " .. file)
  -- Threads start at different paths so they do not ask for the same page at the same moment.
  position = ((offset or 1) * 7) % #requests
  statuses = {}
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[#counts + 1] = string.format('"%d": %d', status, count)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "seconds": %.3f, "socket_errors": %d, "non_2xx_3xx": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "statuses": [{%s}]}\n',
    summary.requests, summary.duration / 1e6, errors.connect + errors.read + errors.write + errors.timeout,
    errors.status, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    table.concat(counts, "}, {")
  ))
end
