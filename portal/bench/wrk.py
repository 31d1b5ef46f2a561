"""Loading one address with wrk, and reading the figures its script prints."""

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import CommandError

from portal.bench.client import BROWSER_HEADERS, Client

# wrk's own summary is meant for people; this prints the figures as one line of JSON.
REPORT_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "non2xx": %d, '
    .. '"socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


# Each request's address: the template with {words} replaced by one or two words, picked at
# random (each wrk thread seeded apart) from the list. wrk.format() keeps the -H headers.
ROTATING_SCRIPT = """
local words = {%(words)s}
local template = %(template)s
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
init = function(args)
  math.randomseed(seed)
end
request = function()
  local chosen = words[math.random(#words)]
  if math.random(2) == 2 then
    chosen = chosen .. "+" .. words[math.random(#words)]
  end
  return wrk.format("GET", (template:gsub("{words}", chosen)))
end
"""


def lua_string(text):
    """`text` as a Lua string literal."""
    return json.dumps(text)  # JSON's escapes are Lua's for the text used here


def rotating_script(template, words):
    """The wrk script that asks for `template` with different words each time."""
    listed = ", ".join(lua_string(word) for word in words)
    return ROTATING_SCRIPT % {"words": listed, "template": lua_string(template)} + REPORT_SCRIPT


def parse_wrk(output):
    """The figures the wrk script prints on its BENCH line."""
    match = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if not match:
        raise CommandError(f"wrk printed no result:\n{output}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "errors": raw["non2xx"],
        "socket_errors": raw["socket_errors"],
    }


class Wrk:
    """wrk with the same threads, connections and duration for every address."""

    def __init__(self, folder, *, connections, seconds, workers, warm_up_rounds=4):
        self.folder = Path(folder)
        self.script = self.folder / "report.lua"
        self.script.write_text(REPORT_SCRIPT)
        self.args = ["-t2", f"-c{connections}", f"-d{seconds}s"]
        self.workers = workers
        self.warm_up_rounds = warm_up_rounds

    def warm_up(self, url, headers):
        """Rounds of one request for each gunicorn worker, sent together and all answered before
        the next round: a worker busy with one request cannot take another, so every worker
        answers one and works out what it keeps (the finder's option sets, a search's ranking)
        before wrk measures. Sent one after another they may all go to the same worker, and the
        other one's first request stalls the measured run: at 100,000 resources the finder's
        takes over a second.
        """
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        path = parts.path + (f"?{parts.query}" if parts.query else "")

        def ask(_):
            response, _content = Client(base).request("GET", path, headers=headers)
            if response.status >= 300:
                raise CommandError(f"{url} answered {response.status} when warming up.")

        with ThreadPoolExecutor(self.workers) as pool:
            for _ in range(self.warm_up_rounds):
                list(pool.map(ask, range(self.workers)))

    def measure(self, url, warm=True, headers=None, script=None):
        """`headers` are sent besides a browser's, such as a signed-in Cookie. A page that
        answered any request with an error is not measured: the figures would be the error's.
        """
        headers = {**BROWSER_HEADERS, **(headers or {})}
        script = script or self.script
        command = ["wrk", *self.args, "--timeout", "10s", "-s", str(script)]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        if warm:
            self.warm_up(url, headers)
        output = subprocess.run(command + [url], capture_output=True, text=True, check=True)
        result = parse_wrk(output.stdout)
        if result["errors"]:
            raise CommandError(f"{url} answered {result['errors']} requests with errors.")
        return result

    def measure_rotating(self, base, template, words):
        """`template` on the server at `base`, each request with different words, unwarmed."""
        script = self.folder / f"rotating-{abs(hash(template))}.lua"
        script.write_text(rotating_script(template, words))
        return self.measure(base + "/", warm=False, script=script)
