"""Latency of the web desk under load: person page, search and live match, 20 clients.

    .venv/bin/python benchmarks/bench_web.py --people 100000
    .venv/bin/python benchmarks/bench_web.py --people 100000 --reuse /tmp/guwah-bench/web-100000.db
    .venv/bin/python benchmarks/bench_web.py --smoke          (2,000 people, 1 short round)

Builds an encrypted archive of N synthetic people with ``import_file`` (not timed; the
build time is printed), or with ``--reuse PATH`` opens the archive at PATH (building it
there and keeping it when it does not exist yet). Adds two accounts (an admin, then the
editor the load signs in as), starts ``guwah serve --workers W`` (W: one per core, at most
4, unless ``--workers`` says otherwise) in its own process on a free loopback port, signs
in through the real login form, and loads the desk with ``--clients`` concurrent clients
(closed loop: each sends its next request when the last one is answered), each endpoint
for ``--seconds`` in turn, ``--rounds`` times:

* baseline: ``/healthz``, which does nothing, under the same load: it shows what the
  server, the HTTP stack and this shared 2-core machine cost on their own;
* person: ``/persons/P-...`` for random people;
* search: ``/search?q=...``, one name token drawn from the archive's names (the ten most
  common of each script and rare ones, in Latin, Cyrillic, Arabic and Chinese script);
* match: the intake form's live match (``/intake/match``, as htmx asks for it) for random
  full names of the archive in every script. Skipped with a note when the desk has no
  such page yet: the match service is never timed through a stand-in route.

The load comes from ``wrk`` (Debian's package; a Lua script picks a random path per
request and sends the session cookie) when it is installed, or else from a small asyncio
client (httpx2) in a separate process; ``--client`` chooses. Figures are ms p50 / p95 /
p99 over every request of a run, requests per second, the server's CPU time per request
(its processes', from /proc), and the ratio of each p95 to the baseline's; the table gives
the median of the rounds. The target (issue 6) is p95 < 100 ms at 100,000 people with 20 clients.
In a closed loop, latency ≈ clients / throughput: 20 clients and p95 < 100 ms need about
200 answers per second or more. Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parent))
from versioning import code_version

PASSPHRASE = "guwah-bench-passphrase"
ADMIN, EDITOR = "bench-admin", "bench-editor"
PASSWORD = "bench web password 2024"
ACTOR = "bench"
TARGET_P95_MS = 100.0
TARGET_PEOPLE = 100_000
SMOKE_PEOPLE = 2000
MATCH_PATH = "/intake/match?v=1&victim-1-name="  # what htmx asks as victim 1's name is typed
SAMPLES = 3000  # distinct paths of each kind the clients draw from
SCRIPTS = ("Latn", "Cyrl", "Arab", "Hani")
ENDPOINTS = ("baseline", "person", "search", "match")
GUWAH = Path(sys.executable).with_name("guwah")

WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local headers = {["Cookie"] = os.getenv("BENCH_COOKIE")}
if os.getenv("BENCH_HTMX") == "1" then headers["HX-Request"] = "true" end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %.0f %.0f %.0f %.0f\n", summary.requests,
    e.status, e.connect + e.read + e.write, e.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""


# --- the archive --------------------------------------------------------------------------


def build_or_open(path: Path, people: int, seed: int) -> None:
    """The archive at ``path`` with N synthetic people and the two accounts."""
    from guwah.secure import accounts as stored_accounts
    from guwah.services import accounts
    from guwah.services.archive import init_archive, open_archive
    from guwah.services.importing import import_file
    from guwah.synthetic import write_jsonl

    if path.exists():
        print(f"reusing {path} ({path.stat().st_size / 1e6:,.1f} MB)")
        archive = open_archive(str(path), PASSPHRASE, ACTOR)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        jsonl = path.with_suffix(".jsonl")
        started = time.perf_counter()
        write_jsonl(jsonl, people, seed=seed)
        archive = init_archive(str(path), PASSPHRASE, ACTOR)
        report = import_file(archive, jsonl)
        jsonl.unlink()
        print(
            f"built {path}: {report.created:,} people, {report.claims_added:,} claims in "
            f"{time.perf_counter() - started:.0f} s (not timed)"
        )
    try:
        with archive.engine.connect() as conn:
            have = {user.username for user in stored_accounts.all_users(conn)}
        for username, role in ((ADMIN, "admin"), (EDITOR, "editor")):
            if username not in have:
                accounts.add_user(archive, username, role, PASSWORD)
    finally:
        archive.close()


@dataclass
class Targets:
    people: int
    person: list[str]
    search: list[str]
    match: list[str]


def targets(path: Path, seed: int) -> Targets:
    """Random paths of each kind, drawn from what the archive holds."""
    from guwah.model.records import format_id
    from guwah.services.archive import open_archive

    archive = open_archive(str(path), PASSPHRASE, ACTOR)
    try:
        with archive.engine.connect() as conn:
            ids = list(conn.exec_driver_sql("SELECT id FROM persons").scalars())
            rows = conn.exec_driver_sql("SELECT script, text FROM names").all()
    finally:
        archive.close()
    rng = Random(seed)
    person = [f"/persons/{format_id('person', i)}" for i in rng.sample(ids, min(SAMPLES, len(ids)))]
    tokens: dict[str, Counter[str]] = {script: Counter() for script in SCRIPTS}
    full: dict[str, list[str]] = {script: [] for script in SCRIPTS}
    for script, text in rows:
        if script in full:
            full[script].append(text)
            tokens[script].update(t for t in text.replace("·", " ").split() if len(t) > 1)
    terms: list[str] = []
    names: list[str] = []
    per_script = SAMPLES // len(SCRIPTS)
    for script in SCRIPTS:
        ranked = [t for t, _ in tokens[script].most_common()]
        if not ranked:
            continue
        common, rare = ranked[:10], ranked[10:] or ranked
        terms += [rng.choice(common if i % 2 else rare) for i in range(per_script)]
        names += rng.sample(full[script], min(per_script, len(full[script])))
    quote = urllib.parse.quote
    return Targets(
        len(ids),
        person,
        [f"/search?q={quote(t)}" for t in terms],
        [MATCH_PATH + quote(n) for n in names],
    )


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``guwah serve`` in its own process, as an archive keeper would run it."""

    def __init__(self, path: Path, log: Path, workers: int = 1) -> None:
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, GUWAH_PASSPHRASE=PASSPHRASE, GUWAH_USER=ADMIN,
                   GUWAH_PASSWORD=PASSWORD)  # fmt: skip
        env.pop("GUWAH_DATABASE_URL", None)
        command = [str(GUWAH), "serve", "--db", str(path), "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )

    def wait(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"guwah serve stopped: {self.errors()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("guwah serve did not answer /healthz in 120 s")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server and its worker processes so far (Linux
        /proc; 0 elsewhere)."""
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        return sum(_cpu_of(p) for p in [str(pid), *children])

    def errors(self) -> str:
        """What the server wrote to its error output (tracebacks of failed requests)."""
        return self.log.read_text(errors="replace").strip() if self.log.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _cpu_of(pid: str) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sign_in(base: str) -> str:
    """The session cookie, through the real sign-in form."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/login", timeout=30) as page:
        html = page.read().decode()
    pre = html.split('name="pre" value="', 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode(
        {"username": EDITOR, "password": PASSWORD, "pre": pre, "next": "/"}
    ).encode()
    with opener.open(base + "/login", data=form, timeout=30) as answer:
        answer.read()
    session = next((c.value for c in jar if c.name == "guwah_session"), None)
    if session is None:
        raise SystemExit("could not sign in to the desk")
    return f"guwah_session={session}"


def status_of(base: str, path: str, cookie: str, htmx: bool = False) -> int:
    headers = {"Cookie": cookie, **({"HX-Request": "true"} if htmx else {})}
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            answer.read()
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


# --- the load -----------------------------------------------------------------------------


@dataclass
class Run:
    requests: int
    bad_status: int
    socket_errors: int
    timeouts: int
    p50: float
    p95: float
    p99: float
    max: float
    seconds: float
    cpu: float  # server CPU seconds during the run

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.requests if self.requests else 0.0


def run_wrk(base: str, paths: list[str], cookie: str, htmx: bool, args: argparse.Namespace,
            work: Path) -> tuple[int, int, int, int, list[float]]:  # fmt: skip
    listing = work / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = work / "bench.lua"
    script.write_text(WRK_SCRIPT)
    env = dict(os.environ, BENCH_PATHS=str(listing), BENCH_COOKIE=cookie,
               BENCH_HTMX="1" if htmx else "0")  # fmt: skip
    done = subprocess.run(
        ["wrk", "-t1", f"-c{args.clients}", f"-d{args.seconds}s", "--timeout", "60s",
         "-s", str(script), base],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    n, bad, sock, timeouts, p50, p95, p99, top = (float(v) for v in line.split()[1:])
    return int(n), int(bad), int(sock), int(timeouts), [p50 / 1000, p95 / 1000, p99 / 1000,
                                                        top / 1000]  # fmt: skip


def run_python(base: str, paths: list[str], cookie: str, htmx: bool, args: argparse.Namespace,
               work: Path) -> tuple[int, int, int, int, list[float]]:  # fmt: skip
    spec = work / "load.json"
    spec.write_text(json.dumps({"base": base, "paths": paths, "cookie": cookie, "htmx": htmx,
                                "clients": args.clients, "seconds": args.seconds}))  # fmt: skip
    done = subprocess.run(
        [sys.executable, __file__, "--load-worker", str(spec)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout)
    return result["n"], result["bad"], result["socket"], 0, result["ms"]


def load_worker(spec_file: str) -> None:
    """The asyncio client (a process of its own): ``clients`` loops for ``seconds``."""
    import httpx2

    spec = json.loads(Path(spec_file).read_text())
    headers = {"Cookie": spec["cookie"], **({"HX-Request": "true"} if spec["htmx"] else {})}
    latencies: list[float] = []
    counts = {"bad": 0, "socket": 0}

    async def loop(client: httpx2.AsyncClient, rng: Random, stop: float) -> None:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                answer = await client.get(rng.choice(spec["paths"]), headers=headers)
                if answer.status_code >= 400:
                    counts["bad"] += 1
            except httpx2.HTTPError:
                counts["socket"] += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    async def main() -> None:
        limits = httpx2.Limits(max_connections=spec["clients"])
        async with httpx2.AsyncClient(base_url=spec["base"], limits=limits, timeout=60) as client:
            stop = time.perf_counter() + spec["seconds"]
            await asyncio.gather(*(loop(client, Random(i), stop) for i in range(spec["clients"])))

    asyncio.run(main())
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    ms = [statistics.median(latencies), q[94], q[98], max(latencies)]
    print(json.dumps({"n": len(latencies), "bad": counts["bad"], "socket": counts["socket"],
                      "ms": ms}))  # fmt: skip


def measure(server: Server, paths: list[str], cookie: str, htmx: bool,
            args: argparse.Namespace, work: Path) -> Run:  # fmt: skip
    runner = run_wrk if args.client == "wrk" else run_python
    cpu, started = server.cpu_seconds(), time.perf_counter()
    n, bad, sock, timeouts, ms = runner(server.url, paths, cookie, htmx, args, work)
    seconds = time.perf_counter() - started
    return Run(n, bad, sock, timeouts, *ms, seconds=min(seconds, args.seconds) if
               args.client == "wrk" else args.seconds, cpu=server.cpu_seconds() - cpu)  # fmt: skip


# --- the report ---------------------------------------------------------------------------


@dataclass
class Results:
    runs: dict[str, list[Run]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def median(self, endpoint: str, attribute: str) -> float:
        return statistics.median(getattr(r, attribute) for r in self.runs[endpoint])


def print_report(results: Results, people: int, args: argparse.Namespace) -> None:
    print()
    print(
        f"guwah serve --workers {args.workers} on {people:,} people, {args.clients} concurrent "
        f"clients ({args.client}), "
        f"{args.seconds} s per endpoint per round, median of {args.rounds} round(s); ms"
    )
    header = (
        f"{'endpoint':<9}| {'p50':>8} | {'p95':>8} | {'p99':>8} | {'max':>8} | {'req/s':>7} | "
        f"{'CPU ms/req':>10} | {'errors':>6} | {'p95/baseline':>12} | p95 of each round"
    )
    print(header)
    print("-" * len(header))
    base = results.median("baseline", "p95") if "baseline" in results.runs else 0.0
    worst = 0.0
    for endpoint in ENDPOINTS:
        runs = results.runs.get(endpoint)
        if not runs:
            continue
        p95 = results.median(endpoint, "p95")
        if endpoint != "baseline":
            worst = max(worst, p95)
        errors = sum(r.bad_status + r.socket_errors + r.timeouts for r in runs)
        ratio = f"{p95 / base:.1f}x" if base else "-"
        rounds = " / ".join(f"{r.p95:.1f}" for r in runs)
        p50, p99, top, rate, cpu = (
            results.median(endpoint, name) for name in ("p50", "p99", "max", "rate", "cpu_ms")
        )
        print(
            f"{endpoint:<9}| {p50:>8.1f} | {p95:>8.1f} | {p99:>8.1f} | {top:>8.1f} | "
            f"{rate:>7.0f} | {cpu:>10.2f} | {errors:>6} | {ratio:>12} | {rounds}"
        )
    for note in results.notes:
        print(f"note: {note}")
    verdict = "ok" if worst < TARGET_P95_MS else "ABOVE TARGET"
    print(
        f"target: p95 < {TARGET_P95_MS:.0f} ms at {TARGET_PEOPLE:,} people with 20 clients -> "
        f"worst p95 here ({people:,} people, {args.clients} clients): {worst:.1f} ms ({verdict})"
    )


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=TARGET_PEOPLE, help="people in the archive")
    parser.add_argument("--seed", type=int, default=1, help="seed of the data and the paths")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--seconds", type=int, default=10, help="load per endpoint per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (the table: medians)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed load first, seconds")
    parser.add_argument("--reuse", type=Path, help="the archive to use (built there if missing)")
    parser.add_argument(
        "--workers", type=int, default=min(os.cpu_count() or 1, 4),
        help="server processes (guwah serve --workers; default: one per core, at most 4)",
    )  # fmt: skip
    parser.add_argument(
        "--client", choices=("auto", "wrk", "python"), default="auto",
        help="the load generator: wrk if installed (auto), or the asyncio client",
    )  # fmt: skip
    parser.add_argument(
        "--smoke", action="store_true",
        help=f"a quick check: {SMOKE_PEOPLE:,} people, one round of 2 s, 4 clients",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.smoke:
        args.people, args.rounds, args.seconds, args.warmup = SMOKE_PEOPLE, 1, 2, 1
        args.clients = 4
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "python"
    if min(args.people, args.clients, args.rounds, args.seconds, args.workers) < 1:
        parser.error("--people, --clients, --rounds, --seconds and --workers must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup cannot be negative")
    return args


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--load-worker"]:
        load_worker(sys.argv[2])
        return 0
    args = parse_args(argv)
    print(code_version())
    work = Path(tempfile.mkdtemp(prefix="guwah-bench-web-"))
    path = args.reuse or work / f"web-{args.people}-s{args.seed}.db"
    server: Server | None = None
    try:
        build_or_open(path, args.people, args.seed)
        found = targets(path, args.seed)
        if found.people != args.people:
            print(f"note: the archive holds {found.people:,} people, not {args.people:,}")
        server = Server(path, work / "server.log", args.workers)
        server.wait()
        cookie = sign_in(server.url)
        paths = {"baseline": ["/healthz"], "person": found.person, "search": found.search,
                 "match": found.match}  # fmt: skip
        results = Results()
        for endpoint, listed in list(paths.items()):
            status = status_of(server.url, listed[0], cookie, htmx=endpoint == "match")
            if status != 200:
                del paths[endpoint]
                what = "page not built yet" if status in (404, 405) else f"HTTP {status}"
                results.notes.append(f"{endpoint} skipped: {listed[0].split('?')[0]} answered "
                                     f"{status} ({what})")  # fmt: skip
        print(f"load: {args.client}; server: {server.url} (pid {server.process.pid})")
        if args.warmup:
            short = argparse.Namespace(**{**vars(args), "seconds": args.warmup})
            for endpoint, listed in paths.items():
                measure(server, listed, cookie, endpoint == "match", short, work)
        for round_number in range(1, args.rounds + 1):
            for endpoint, listed in paths.items():
                run = measure(server, listed, cookie, endpoint == "match", args, work)
                results.runs.setdefault(endpoint, []).append(run)
                print(
                    f"round {round_number} {endpoint:<8} {run.requests:>6} requests "
                    f"{run.rate:>6.0f}/s  p50 {run.p50:6.1f}  p95 {run.p95:6.1f}  "
                    f"p99 {run.p99:6.1f} ms  errors {run.bad_status + run.socket_errors}"
                )
        print_report(results, found.people, args)
    finally:
        if server is not None:
            server.stop()
            if server.errors():  # tracebacks of failed requests: the first ones
                print("\nthe server's error output (first 4,000 characters):")
                print(server.errors()[:4000])
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
