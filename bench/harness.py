"""Shared bench helpers: a gunicorn server on 127.0.0.1 started and stopped by PID, and HTTP load clients."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
# The one gunicorn configuration every benchmark uses, so ratios compare like with like.
GUNICORN_WORKERS = 2
GUNICORN_THREADS = 4
GUNICORN_CONFIG = f"{GUNICORN_WORKERS} workers, gthread worker class, {GUNICORN_THREADS} threads each, keep-alive 5 s"


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback only)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def python_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: this one, the repository on PYTHONPATH, plus extras."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(BENCH)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env.update(extra)
    return env


class Gunicorn:
    """A gunicorn server bound to 127.0.0.1 on a free port; stopped by its own PID."""

    def __init__(self, app_spec: str, env: dict[str, str], workers: int = GUNICORN_WORKERS,
                 threads: int = GUNICORN_THREADS, timeout: int = 30, log: Path | None = None):
        self.port = free_port()
        self.log_path = log or Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
        self.args = [str(VENV_BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                     "--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "5",
                     "--timeout", str(timeout), "--graceful-timeout", "5", "--backlog", "512", app_spec]
        self.env = env
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Base URL without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str = "/", timeout: float = 30.0) -> "Gunicorn":
        """Start and wait until a request to ready_path answers."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.args, env=self.env, cwd=str(ROOT), stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            try:
                status, _ = request("127.0.0.1", self.port, "GET", ready_path)
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer in {timeout} s: {self.log_path.read_text()[-2000:]}")

    def worker_pids(self) -> list[int]:
        """PIDs of the arbiter's worker processes (children of our PID)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def stop(self) -> None:
        """Stop the arbiter we started (SIGTERM, then SIGKILL after 10 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def request(host: str, port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 10.0) -> tuple[int, bytes]:
    """One HTTP request on a fresh connection; returns (status, body)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@dataclass
class LoadResult:
    """Throughput and latency of one load run."""

    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    p50_ms: float = 0.0
    p99_ms: float = 0.0

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of a list (0 for an empty list)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()
    return float(number) * _UNITS[unit]


def wrk_available() -> bool:
    """True when the wrk load generator is installed."""
    return shutil.which("wrk") is not None


def run_wrk(url: str, seconds: int, connections: int, headers: dict[str, str] | None = None,
            threads: int = 2) -> LoadResult:
    """Drive one URL with wrk for a fixed time; parse requests/s, p50, p99 and non-2xx counts."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    done = subprocess.run(args + [url], capture_output=True, text=True, timeout=seconds + 30)
    out = done.stdout or done.stderr
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    if total is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    requests_done = int(total.group(1))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return LoadResult(requests=requests_done, errors=errors, seconds=requests_done / rps if rps else seconds,
                      p50_ms=_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
                      p99_ms=_ms(re.search(r"\s99%\s+(\S+)", out).group(1)))


def run_threads(host: str, port: int, path: str, seconds: int, connections: int,
                headers: dict[str, str] | None = None) -> LoadResult:
    """Fallback client: one keep-alive http.client connection per thread, for a fixed time."""
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        mine: list[float] = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
            mine.append((time.perf_counter() - started) * 1000)
            if not ok:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=seconds + 30)
    elapsed = time.monotonic() - started
    return LoadResult(requests=len(latencies), errors=errors[0], seconds=elapsed, latencies_ms=latencies,
                      p50_ms=percentile(latencies, 0.50), p99_ms=percentile(latencies, 0.99))


def drive(server: Gunicorn, path: str, seconds: int, connections: int, headers: dict[str, str] | None = None,
          client: str = "auto") -> LoadResult:
    """Load one path with wrk when installed (or asked), else with the thread-pool client."""
    if client == "wrk" or (client == "auto" and wrk_available()):
        return run_wrk(server.url + path, seconds, connections, headers)
    return run_threads("127.0.0.1", server.port, path, seconds, connections, headers)


def median(values: list[float]) -> float:
    """Median, 0 for none."""
    return statistics.median(values) if values else 0.0
