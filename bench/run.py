"""`make bench`: build the 1- and 10-year data sets, serve them as in production, measure, write the report.

Every page of every role is timed as p50/p95 and as a ratio to a one-query page measured in the same
run (interleaved with it, so a busy machine slows both alike); query counts come from the server
(a response header of the benchmark settings). Exports and PDFs are timed separately, then a few
concurrent clients measure throughput. The report goes to var/bench/report.md with a chart
var/bench/ratios.svg.

    python bench/run.py            # full: 1 and 10 years (under 30 min on an idle 2-core machine)
    python bench/run.py --quick    # a tenth of the data, fewer requests (a few minutes)
    python bench/run.py --reuse    # keep data sets already generated
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
HOST = "127.0.0.1"
TARGET_RATIO = 3.0
TARGET_P95_MS = 150.0
TARGET_MAX_S = 5.0

ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-secret-key-not-for-production-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "CASE_ENCRYPTION_KEYS": "EG_VDV5RZ5TxksH_4PC7BY0khW9BKagEnmKa0ml2dec=",
    "CASE_SEARCH_KEY": "bench-search-key-not-for-production-0123456789",
    "STATIC_ROOT": str(OUT / "static"),
    "PRIVATE_FILES_ROOT": str(OUT / "private"),
    "LOG_LEVEL": "WARNING",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def server_url(db: str) -> str:
    base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    return f"{base}/{db}"


def manage(db: str, *args: str) -> str:
    env = {**os.environ, **ENV, "DATABASE_URL": server_url(db)}
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return result.stdout


def database_ready(db: str) -> bool:
    """Whether `db` exists and holds a finished data set (bench_data ends with ANALYZE after the logs)."""
    try:
        with psycopg.connect(server_url(db), connect_timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM audit_signinevent").fetchone()
            return row[0] > 0
    except psycopg.Error:
        return False


def recreate_database(db: str) -> None:
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def prepare(years: int, scale: float, db: str, reuse: bool) -> dict:
    if reuse and database_ready(db):
        log(f"{db}: reusing the data set")
        manage(db, "migrate", "--noinput", "-v", "0")
    else:
        log(f"{db}: generating {years} years (scale {scale})")
        began = time.monotonic()
        recreate_database(db)
        manage(db, "migrate", "--noinput", "-v", "0")
        print(manage(db, "bench_data", "--years", str(years), "--scale", str(scale)), end="", flush=True)
        log(f"{db}: generated in {time.monotonic() - began:.0f} s")
    manifest = OUT / f"{db}.json"
    manage(db, "bench_sessions", "--output", str(manifest))
    return json.loads(manifest.read_text(encoding="utf-8"))


class Server:
    def __init__(self, db: str, port: int, workers: int):
        self.db, self.port, self.workers = db, port, workers

    def __enter__(self):
        env = {**os.environ, **ENV, "DATABASE_URL": server_url(self.db)}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [
                PYTHON,
                "-m",
                "gunicorn",
                "ageo_network.wsgi:application",
                f"--bind={HOST}:{self.port}",
                f"--workers={self.workers}",
                "--timeout=30",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        # The worker beside it, as in production: prepared downloads are built there.
        self.worker = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [PYTHON, "manage.py", "db_worker", "--queue-name=*", "--no-reload"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                get(self.port, "/accounts/login/", None, timeout=5)
                return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        for process in (self.process, self.worker):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (self.process, self.worker):
            process.wait(timeout=60)


def get(port: int, path: str, session: str | None, timeout: float = 60, method: str = "GET", csrf: str = "") -> dict:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    if csrf:
        headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}
    began = time.perf_counter()
    try:
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - began
        return {
            "status": response.status,
            "seconds": elapsed,
            "bytes": len(body),
            "queries": int(response.getheader("X-Bench-Queries") or -1),
            "location": response.getheader("Location") or "",
            "csrf": _cookie(response, "csrftoken"),
        }
    except TimeoutError:
        return {"status": "timeout", "seconds": time.perf_counter() - began, "bytes": 0, "queries": -1}
    finally:
        conn.close()


def _cookie(response, name: str) -> str:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return ""


def prepared(db: str, port: int, session: str, path: str, form_page: str, method: str = "POST") -> dict:
    """A prepared download: the request that queues it (timed), then the worker's build, polled in the database.
    Most are a POST from `form_page`; a long case's summary PDF is queued by the GET of its link."""
    if method == "POST":
        csrf = get(port, form_page, session)["csrf"]
        asked = get(port, path, session, method="POST", csrf=csrf)
    else:
        asked = get(port, path, session)
    deadline = time.monotonic() + 900
    with psycopg.connect(server_url(db), autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT status, extract(epoch FROM finished_at - requested_at), size "
                "FROM audit_prepareddownload ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row and row[0] != "queued":
                break
            time.sleep(0.5)
    status, built, size = row if row else ("none", None, 0)
    return {
        "status": f"{asked['status']} → {status}",
        "seconds": asked["seconds"],
        "build_seconds": float(built) if built is not None else None,
        "bytes": size or 0,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(manifest: dict, port: int, rounds: int) -> dict:
    sessions = manifest["sessions"]
    pages = [(role, label, path) for role, entries in manifest["pages"].items() for label, path in entries]
    baseline_session = sessions["secretariat"]
    samples = {key: [] for key in [("baseline", "1クエリのページ", manifest["baseline"]), *pages]}
    meta = {}
    for role, label, path in [("baseline", "1クエリのページ", manifest["baseline"]), *pages]:  # warm up
        first = get(port, path, sessions.get(role) if role != "baseline" else baseline_session)
        meta[(role, label, path)] = first
    for _ in range(rounds):
        for key in samples:
            role, _, path = key
            # The baseline runs between every page, so both see the same load on a shared machine.
            samples[("baseline", "1クエリのページ", manifest["baseline"])].append(
                get(port, manifest["baseline"], baseline_session)["seconds"]
            )
            if role == "baseline":
                continue
            result = get(port, path, sessions.get(role))
            samples[key].append(result["seconds"])
            # The fewest queries seen: once a minute a signed-in request also saves the session's idle clock
            # and re-reads the second-factor device, which added 1–2 queries to whichever page came then.
            least = min(result["queries"], meta[key]["queries"]) if meta[key]["queries"] >= 0 else result["queries"]
            meta[key] = {**result, "queries": least}
    base_p50 = statistics.median(samples[("baseline", "1クエリのページ", manifest["baseline"])])
    rows = []
    for key, values in samples.items():
        role, label, path = key
        rows.append(
            {
                "role": role,
                "label": label,
                "path": path,
                "status": meta[key]["status"],
                "bytes": meta[key]["bytes"],
                "queries": meta[key]["queries"],
                "p50_ms": statistics.median(values) * 1000,
                "p95_ms": percentile(values, 0.95) * 1000,
                "max_ms": max(values) * 1000,
                "ratio": statistics.median(values) / base_p50,
            }
        )
    return {"baseline_p50_ms": base_p50 * 1000, "rows": rows}


def measure_exports(manifest: dict, port: int, runs: int, db: str) -> list[dict]:
    rows = []
    for role, entries in manifest["exports"].items():
        for label, path, *how in entries:
            if how and how[0] in ("prepared", "prepared-get"):
                method = "GET" if how[0] == "prepared-get" else "POST"
                result = prepared(db, port, manifest["sessions"][role], path, how[1], method)
                rows.append({"role": role, "label": label, "path": path, **result, "max_seconds": result["seconds"]})
                log(
                    f"  prepared {label}: {result['status']} request {result['seconds']:.2f} s, build {result['build_seconds']} s"
                )
                continue
            results = [get(port, path, manifest["sessions"][role], timeout=90) for _ in range(runs)]
            rows.append(
                {
                    "role": role,
                    "label": label,
                    "path": path,
                    "status": ",".join(sorted({str(r["status"]) for r in results})),
                    "seconds": statistics.median(r["seconds"] for r in results),
                    "max_seconds": max(r["seconds"] for r in results),
                    "bytes": results[-1]["bytes"],
                }
            )
            log(f"  export {label}: {rows[-1]['status']} {rows[-1]['seconds']:.2f} s")
    return rows


MINUTES_LINE = re.compile(
    r"minutes PDF \((?P<kind>[^,]+), [^)]*?(?P<items>\d+) items, (?P<bodies>\d+) bodies\): (?P<kb>\d+) KB, "
    r"best (?P<best>[\d.]+) s, worst (?P<worst>[\d.]+) s"
)


def measure_minutes(db: str, runs: int) -> list[dict]:
    """The minutes PDF (manage.py bench_minutes_pdf, in-process, rolled back) of a short and a long meeting."""
    rows = []
    for items in (3, 40):
        out = manage(db, "bench_minutes_pdf", "--items", str(items), "--runs", str(runs), "--bodies", "26")
        for match in MINUTES_LINE.finditer(out):
            kind = "要綱第7条・保存版" if match["kind"].startswith("Art. 7") else "要綱第9条・閲覧者ごと"
            rows.append(
                {
                    "role": "—",
                    "label": f"会議録PDF（議題{match['items']}件・{match['bodies']}機関、{kind}）",
                    "path": "",
                    "status": "in-process",
                    "seconds": float(match["best"]),
                    "max_seconds": float(match["worst"]),
                    "bytes": int(match["kb"]) * 1024,
                }
            )
        log(f"  minutes PDF, {items} items: {out.strip()}")
    return rows


def throughput(manifest: dict, port: int, clients: int, seconds: float) -> dict:
    pages = [
        (manifest["sessions"].get(role), path) for role, entries in manifest["pages"].items() for _, path in entries
    ]
    times, errors = [], []
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            session, path = pages[i % len(pages)]
            result = get(port, path, session)
            (times if result["status"] in (200, 302) else errors).append(result["seconds"])
            i += 1

    threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "clients": clients,
        "requests": len(times) + len(errors),
        "errors": len(errors),
        "per_second": (len(times) + len(errors)) / seconds,
        "p50_ms": statistics.median(times) * 1000 if times else 0,
        "p95_ms": percentile(times, 0.95) * 1000 if times else 0,
    }


# --- the report -----------------------------------------------------------------------------------


def chart(results: dict, path: Path) -> None:
    """Horizontal bars: p50 ratio per page, one bar per data set, with the 3× target line."""
    names = list(results)
    keys = [(r["role"], r["label"]) for r in results[names[-1]]["pages"]["rows"] if r["role"] != "baseline"]
    colours = ["#8fb3d9", "#1f4e8c", "#d98f8f"]
    bar, gap, left, width = 9, 6, 330, 420
    top = 40
    height = top + len(keys) * (bar * len(names) + gap) + 40
    biggest = max(
        [TARGET_RATIO * 1.2]
        + [r["ratio"] for name in names for r in results[name]["pages"]["rows"] if r["role"] != "baseline"]
    )
    scale = width / biggest
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" height="{height}" '
        'font-family="IPAexGothic, sans-serif" font-size="11">',
        f'<text x="10" y="18" font-size="13">ページの p50 ÷ 1クエリのページの p50（目標 {TARGET_RATIO:g}× 以下）</text>',
    ]
    for n, name in enumerate(names):
        out.append(f'<rect x="{left + n * 90}" y="26" width="10" height="8" fill="{colours[n % 3]}"/>')
        out.append(f'<text x="{left + n * 90 + 14}" y="34">{name}</text>')
    y = top
    for role, label in keys:
        out.append(f'<text x="{left - 6}" y="{y + bar * len(names) / 2 + 4}" text-anchor="end">{role}: {label}</text>')
        for n, name in enumerate(names):
            row = next((r for r in results[name]["pages"]["rows"] if (r["role"], r["label"]) == (role, label)), None)
            ratio = row["ratio"] if row else 0
            out.append(
                f'<rect x="{left}" y="{y}" width="{max(1, ratio * scale):.1f}" height="{bar - 1}" '
                f'fill="{colours[n % 3]}"/>'
            )
            out.append(f'<text x="{left + ratio * scale + 4:.1f}" y="{y + bar - 1}" font-size="9">{ratio:.1f}</text>')
            y += bar
        y += gap
    x = left + TARGET_RATIO * scale
    out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{y}" stroke="#c00" stroke-dasharray="4 3"/>')
    out.append("</svg>")
    path.write_text("\n".join(out), encoding="utf-8")


def report(results: dict, info: dict, path: Path) -> str:
    names = list(results)
    last = names[-1]
    lines = [
        "# ベンチマーク結果 (benchmark report)",
        "",
        f"- run: {info['started']} → {info['finished']} ({info['mode']}), {info['host']}",
        f"- load average before / after: {info['load_before']} / {info['load_after']} "
        f"({os.cpu_count()} CPUs; the machine may be shared: ratios to the one-query page are the figure to compare)",
        f"- server: gunicorn, {info['workers']} sync workers, DEBUG off, PostgreSQL, collected static files; "
        f"{info['rounds']} requests per page after one warm-up",
        f"- data: {', '.join(f'{n}: {results[n]["sizes"]}' for n in names)}",
        "",
        "## Pages",
        "",
        "p50 / p95 in ms; ratio = page p50 ÷ one-query page p50 of the same data set; q = queries per request "
        "(the fewest seen: once a minute a request also saves the session's idle clock).",
        "Target at 10 years: ratio ≤ 3, p95 ≤ 150 ms, query count equal at every size.",
        "",
        "| role | page | " + " | ".join(f"{n} q | {n} p50 | {n} p95 | {n} ratio" for n in names) + " | KB | target |",
        "| --- | --- | " + " | ".join("---: | ---: | ---: | ---:" for _ in names) + " | ---: | --- |",
    ]
    rows_by_name = {n: {(r["role"], r["label"]): r for r in results[n]["pages"]["rows"]} for n in names}
    for key, row in rows_by_name[last].items():
        cells = []
        for n in names:
            r = rows_by_name[n].get(key)
            if r is None:
                cells.append("– | – | – | –")
                continue
            status = "" if r["status"] == 200 else f" ({r['status']})"
            cells.append(f"{r['queries']}{status} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['ratio']:.1f}×")
        queries = {rows_by_name[n][key]["queries"] for n in names if key in rows_by_name[n]}
        ok = row["role"] == "baseline" or (
            row["ratio"] <= TARGET_RATIO and row["p95_ms"] <= TARGET_P95_MS and len(queries) == 1
        )
        lines.append(
            f"| {key[0]} | {key[1]} | "
            + " | ".join(cells)
            + f" | {row['bytes'] / 1024:.0f} | {'ok' if ok else '**no**'} |"
        )
    lines += [
        "",
        "## Exports and PDFs",
        "",
        "Prepared downloads (status 302 → ready): the request only queues the file; the worker then builds it. "
        "The minutes PDF (in-process: `manage.py bench_minutes_pdf`, best and worst of the runs) does not depend on "
        "the data size and is measured once.",
        "",
        "| data | role | export | status | request s (median) | max s | worker s | KB |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for n in names:
        for r in results[n]["exports"]:
            built = r.get("build_seconds")
            worker = "" if built is None else f"{built:.1f}"
            lines.append(
                f"| {n} | {r['role']} | {r['label']} | {r['status']} | {r['seconds']:.2f} | {r['max_seconds']:.2f} "
                f"| {worker} | {r['bytes'] / 1024:.0f} |"
            )
    lines += [
        "",
        "## Concurrent clients",
        "",
        "| data | clients | requests | errors | req/s | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in names:
        t = results[n]["throughput"]
        lines.append(
            f"| {n} | {t['clients']} | {t['requests']} | {t['errors']} | {t['per_second']:.1f} | {t['p50_ms']:.0f} | {t['p95_ms']:.0f} |"
        )
    slow = [
        f"{n} {r['role']} {r['label']} ({r['max_ms'] / 1000:.1f} s)"
        for n in names
        for r in results[n]["pages"]["rows"]
        if r["max_ms"] > TARGET_MAX_S * 1000
    ] + [
        f"{n} {r['label']} ({r['max_seconds']:.1f} s)"
        for n in names
        for r in results[n]["exports"]
        if r["max_seconds"] > TARGET_MAX_S
    ]
    lines += [
        "",
        f"Requests over {TARGET_MAX_S:g} s: " + ("; ".join(slow) if slow else "none"),
        "",
        "![ratio per page](ratios.svg)",
        "",
    ]
    text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, 8 requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep data sets already generated")
    parser.add_argument("--years", default="1,10")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8140")))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the last results")
    parser.add_argument("--pages-only", action="store_true", help="skip exports and concurrent clients")
    args = parser.parse_args()
    if args.report_only:
        results = json.loads((OUT / "results.json").read_text())
        info = json.loads((OUT / "info.json").read_text())
        chart(results, OUT / "ratios.svg")
        print(report(results, info, OUT / "report.md"))
        return
    scale = 0.1 if args.quick else 1.0
    rounds = args.rounds or (8 if args.quick else 30)
    OUT.mkdir(parents=True, exist_ok=True)
    info = {
        "started": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": ("quick" if args.quick else "full") + (", pages only" if args.pages_only else ""),
        "host": f"{platform.node()} {platform.processor() or platform.machine()}",
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "workers": args.workers,
        "rounds": rounds,
    }
    if not (args.reuse and (OUT / "static" / "staticfiles.json").exists()):
        log("collectstatic")
        manage("postgres", "collectstatic", "--noinput", "-v", "0")
    results = {}
    for years in (int(y) for y in args.years.split(",")):
        name = f"{years}y"
        db = f"ageo_bench_{'q' if args.quick else ''}{years}y"
        manifest = prepare(years, scale, db, args.reuse)
        with Server(db, args.port, args.workers):
            log(f"{name}: measuring {sum(len(v) for v in manifest['pages'].values())} pages × {rounds}")
            pages = measure(manifest, args.port, rounds)
            log(f"{name}: one-query page p50 {pages['baseline_p50_ms']:.1f} ms; exports")
            exports, load = [], {"clients": 0, "requests": 0, "errors": 0, "per_second": 0, "p50_ms": 0, "p95_ms": 0}
            if not args.pages_only:
                exports = measure_exports(manifest, args.port, 1 if args.quick else 2, db)
                if years == max(int(y) for y in args.years.split(",")):  # the same meeting at any data size
                    exports += measure_minutes(db, 1 if args.quick else 2)
                log(f"{name}: concurrent clients")
                load = throughput(manifest, args.port, clients=4, seconds=10 if args.quick else 20)
        with psycopg.connect(server_url(db)) as conn:
            sizes = {
                table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
                for table in ("registry_body", "cases_case", "cases_consultation", "audit_accesslog")
            }
        results[name] = {"pages": pages, "exports": exports, "throughput": load, "sizes": sizes}
        (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    info["finished"] = datetime.datetime.now(datetime.UTC).strftime("%H:%M UTC")
    info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    (OUT / "info.json").write_text(json.dumps(info, ensure_ascii=False))
    chart(results, OUT / "ratios.svg")
    print(report(results, info, OUT / "report.md"))
    log(f"report: {OUT / 'report.md'}")


if __name__ == "__main__":
    main()
