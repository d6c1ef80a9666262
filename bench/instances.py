"""The scripts' app instances: `flask` commands on them, and gunicorn serving them on a free 127.0.0.1 port.

Imported by the scripts in bench/, which put the checkout's root and tests/ (for tests/servers.py) on sys.path.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import servers

ROOT = Path(__file__).resolve().parent.parent


def instance_env(folder: Path, page_cache: bool = True) -> dict[str, str]:
    """Return the environment that puts every piece of the instance's state in `folder`."""
    return servers.instance_env(folder, "load-benchmark-only", **({} if page_cache else {"PAGE_CACHE_BYTES": "0"}))


def flask(env: dict, *args: str, quiet: bool = False) -> subprocess.CompletedProcess:
    """Run a `flask --app blogapp` command on the instance; stop the script if it fails (quiet: output only then)."""
    command = [sys.executable, "-m", "flask", "--app", "blogapp", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=quiet, text=True)
    if done.returncode:
        # Two words name the command; the arguments after them may hold a password.
        sys.exit(f"flask {' '.join(args[:2])} failed:\n{done.stdout or ''}{done.stderr or ''}")
    return done


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """GET `url`; return status, headers and text (errors included)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


class Server:
    """gunicorn with gunicorn.conf.py on a free 127.0.0.1 port, its output in a log file; started at once."""

    def __init__(self, env: dict, workers: int | None, log: Path, target: str = "wsgi:app", own_group: bool = False):
        self.env, self.log, self.own_group = env, log, own_group
        self.port = servers.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
        if workers:
            self.command += ["--workers", str(workers)]
        self.command.append(target)
        log.write_bytes(b"")
        self.start()

    def start(self) -> None:
        """Start gunicorn (again, after a kill: on the same port) and wait until it serves the home page."""
        with open(self.log, "ab") as out:
            # A process group of its own lets one signal reach the master and every worker (see kill).
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=self.own_group
            )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited; see {self.log}")
            try:
                if fetch(self.base + "/")[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        self.stop()
        sys.exit(f"gunicorn did not answer within 180 s; see {self.log}")

    def worker_pids(self) -> list[int]:
        """Return the pids of the master's children (the workers)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:  # kernels without the children file: scan every process's parent
            pids = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.process.pid:
                        pids.append(int(stat.parent.name))
                except (OSError, IndexError, ValueError):
                    continue
            return sorted(pids)

    def memory(self) -> list[dict[str, float]]:
        """Return VmRSS, VmHWM (peak) and RssAnon (private) in MB for each worker."""
        found = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            values = dict(re.findall(r"^(VmRSS|VmHWM|RssAnon):\s+(\d+) kB", status, re.M))
            found.append({key: int(value) / 1024 for key, value in values.items()})
        return found

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a power cut or the OOM killer would (needs own_group)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Stop gunicorn gracefully, or kill it if it takes more than a minute."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
