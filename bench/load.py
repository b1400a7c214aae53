"""Concurrent viewers while a statistician uploads: how many viewers the server holds with the
overview's p95 at most 3 s. `python -m bench.load [--max-viewers 96] [--seconds 30] [--json OUT]`.

A real dashboard (`streamlit run` on a free loopback port, demo-sized official data) serves:
- N viewers, each a WebSocket client speaking Streamlit's own protocol, as a browser's page does
  after its first load: GET / (the page), open /_stcore/stream, ask for a run of the overview,
  read the page until the run has finished (every tile received). One open is timed from the GET
  to that moment. All viewers open at once, then each opens again after a pause of 1-3 s (a
  leader clicking about; a fixed seed), until the phase ends.
- one statistician in headless Chromium (Debian's), signed in on 数据管理, uploading a workbook,
  waiting for the check and preview, confirming, and again with the other of two workbooks, so
  that every upload is checked, saved as a revision and makes every viewer's next open recompute.
N grows 1, 2, 4, 8 … and is then bisected between the last N that held and the first that did
not; the run stops at the first N that misses (p95 > 3 s, any failed open, or an upload the
dashboard refused: it must take this file, whatever the load), at --max-viewers,
or after --budget seconds, whichever comes first. Everything is on loopback; nothing is left
running. A viewer here costs the server what a leader's browser costs it, but not the browser's
own rendering (done on the leader's machine); the statistician's Chromium, the N clients and
the server share this machine's cores, which makes the figure conservative.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
P95_LIMIT = 3.0  # seconds: the overview's p95 a viewer count must hold
OPEN_TIMEOUT = 30.0  # a viewer's open that takes longer counts as failed
STATISTICIAN, PASSWORD = "王统计", "Bench-upload-2025"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


# --- the server and its data -------------------------------------------------------------------


def server_script() -> Path:
    """What `make serve` runs (app.py serves the router behind the login routes, where it exists)."""
    app = ROOT / "app.py"
    return app if app.exists() else ROOT / "dashboard.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard(db: Path, log: Path) -> Iterator[str]:
    """The dashboard on a free loopback port against `db`; yields its URL, stops it afterwards."""
    port = _free_port()
    env = {**os.environ, "IPDATA_DB": str(db)}
    with log.open("w") as out:
        # no file watcher, as in a deployment: an edit in the checkout must not reload modules
        # mid-run (a Plan cached before a reload no longer pickles for the upload worker)
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(server_script()),
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--server.headless", "true", "--server.fileWatcherType", "none"],
                                cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the dashboard did not start:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def prepare(tmp: Path) -> tuple[Path, list[Path], int]:
    """A store holding official data of the demo's size, a statistician, and two workbooks that
    differ in one figure (each upload of the other one is a real change). Returns (db, files,
    number of goal tiles on the overview)."""
    from openpyxl import load_workbook

    from ipdata import service
    from ipdata.auth import STATISTICIAN as ROLE
    from ipdata.auth import Users, local_operator
    from ipdata.outputs.workbook import export_workbook

    demo = service.open_store(tmp / "demo.duckdb")
    service.load_demo(demo)
    files = [tmp / "年报A.xlsx", tmp / "年报B.xlsx"]
    export_workbook(demo, files[0])
    wb = load_workbook(files[0])
    ws = wb["指标数据"]
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row[5:] if isinstance(c.value, int | float))
    cell.value = cell.value + 1
    for sheet in wb.worksheets:  # the export's banner says demo; these are "official" files
        if sheet.cell(1, 1).value and "示例数据" in str(sheet.cell(1, 1).value):
            sheet.cell(1, 1).value = "全部数据"
    wb.save(files[1])
    db = tmp / "load.duckdb"
    store = service.open_store(db)
    service.import_file(store, files[0], user=local_operator("bench"), comment="load benchmark")
    Users(db).add(local_operator("bench"), STATISTICIAN, ROLE, PASSWORD)
    return db, files, sum(not g.is_rank for g in store.plan.goals)  # a rank goal is listed apart, not a tile


# --- viewers -------------------------------------------------------------------------------------


@dataclass
class Phase:
    viewers: int
    seconds: float
    opens: int = 0
    failed: int = 0
    p50: float | None = None
    p95: float | None = None
    worst: float | None = None
    uploads: int = 0
    upload_median: float | None = None
    refused: list[str] = field(default_factory=list)  # uploads the dashboard refused (it should not)
    load: float | None = None  # the machine's 1-minute load average at the end (others' work too)
    errors: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return (self.failed == 0 and not self.refused and self.opens > 0 and self.p95 is not None
                and self.p95 <= P95_LIMIT)


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=OPEN_TIMEOUT) as r:
        r.read()


async def open_overview(url: str, tiles: int) -> float:
    """Seconds for one open of the overview: the page, then a run over the WebSocket until it
    finished successfully with every tile sent; raises if it did not."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    start = time.perf_counter()
    await asyncio.to_thread(_get, url + "/")
    stream = "ws" + url.removeprefix("http") + "/_stcore/stream"
    async with connect(stream, subprotocols=["streamlit"], max_size=None, open_timeout=OPEN_TIMEOUT) as ws:
        ask = BackMsg()
        ask.rerun_script.query_string = ""
        ask.rerun_script.page_script_hash = ""
        await ws.send(ask.SerializeToString())
        seen, said = 0, []
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "markdown":
                    seen += element.markdown.body.count('class="ip-tile"')
                elif element.WhichOneof("type") in ("alert", "exception"):  # what the page said instead
                    said.append(str(getattr(element, element.WhichOneof("type")))[:300])
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    break
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    raise RuntimeError(f"run ended with status {msg.script_finished}")
    if seen < tiles:
        raise RuntimeError(f"{seen} of {tiles} tiles; the page said {said}")
    return time.perf_counter() - start


async def _viewer(url: str, tiles: int, deadline: float, rng: random.Random, times: list[float],
                  errors: list[str]) -> None:
    while time.monotonic() < deadline:
        try:
            times.append(await asyncio.wait_for(open_overview(url, tiles), OPEN_TIMEOUT))
        except Exception as exc:  # a failed open is a result, not the end of the benchmark
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        await asyncio.sleep(rng.uniform(1.0, 3.0))


async def _viewers(url: str, tiles: int, n: int, seconds: float) -> tuple[list[float], list[str]]:
    times: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(_viewer(url, tiles, deadline, random.Random(1000 + i), times, errors)
                           for i in range(n)))
    return times, errors


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]


# --- the statistician ----------------------------------------------------------------------------


class Refused(Exception):
    """The dashboard refused an upload that it should have taken (what it said is the message)."""


def _upload(page, file: Path, db: Path, revision: int) -> None:
    """Upload `file` on 数据管理, wait for the check and preview, tick the warnings if any,
    confirm, and wait until the store holds it as `revision` (the page's 已保存 note can be gone
    by the time it is looked for: it shows for one run)."""
    import re

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from ipdata import service

    page.locator("input[type=file]").set_input_files(str(file))
    preview = page.get_by_text("将要发生的变化")
    preview.or_(page.get_by_text("不能导入")).or_(page.get_by_text("内部错误")).first.wait_for()
    if not preview.count():
        raise Refused(page.get_by_test_id("stAlert").first.inner_text()[:300])
    confirm = page.get_by_role("button", name=re.compile("确认导入"))
    confirm.wait_for()  # the warnings' tick, if any, is drawn above it
    tick = page.get_by_test_id("stCheckbox").filter(has_text="已核对以上警告中的数据")
    enabled = ("() => [...document.querySelectorAll('button')]"
               ".some(b => b.innerText.includes('确认导入') && !b.disabled)")
    for _ in range(3):  # a tick given while the page was still being redrawn can be lost
        if tick.count() and not tick.locator("input").is_checked():
            tick.locator("label").click()
        try:
            page.wait_for_function(enabled, timeout=20_000)
            break
        except PlaywrightTimeout:
            continue
    confirm.click()
    deadline = time.monotonic() + 120
    while service.open_store(db).latest_revision_id() < revision:
        if time.monotonic() > deadline:
            raise TimeoutError(f"revision {revision} was not saved within 120 s")
        time.sleep(0.2)
    # the page has moved on: the confirmed file's preview and uploader gone, one fresh uploader
    # (the store is written before the page reruns: a file given now would go to the old one)
    page.wait_for_function("() => document.querySelectorAll('input[type=file]').length === 1"
                           " && !document.body.innerText.includes('将要发生的变化')")


def _clear(page) -> None:
    """After a refusal: remove the file, so that the next one is judged on its own."""
    gone = "() => !/不能导入|内部错误/.test(document.body.innerText)"
    try:
        page.get_by_test_id("stFileChipDeleteBtn").first.click(timeout=30_000)
        page.wait_for_function(gone, timeout=30_000)
    except Exception:  # whatever the page is doing, a reload starts it afresh
        page.reload()
        page.locator("input[type=file]").wait_for(state="attached")


def statistician(url: str, db: Path, files: list[Path], seconds: float, out: Path, revision: int) -> None:
    """In this process: sign in with Chromium, say so (file OUT.ready), then upload, check and
    confirm the two files in turn for `seconds`, at least once, the store's latest revision being
    `revision`; write the seconds each upload took to `out` (JSON). On a failure, what the page
    showed goes to stderr and OUT.png."""
    from playwright.sync_api import sync_playwright

    done: list[float] = []
    refused: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(120_000)
        try:
            page.goto(f"{url}/account")
            page.get_by_label("用户名").fill(STATISTICIAN)
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.get_by_text("已登录").first.wait_for()
            page.get_by_role("link", name="数据管理").click()
            page.locator("input[type=file]").wait_for(state="attached")
            out.with_suffix(".ready").touch()  # signed in: the viewers may come
            until = time.monotonic() + seconds
            while not (done or refused) or time.monotonic() < until:  # at least once, however slow the sign-in
                start = time.perf_counter()
                try:
                    _upload(page, files[(revision + len(done)) % 2], db, revision=revision + len(done) + 1)
                    done.append(time.perf_counter() - start)
                except Refused as exc:
                    refused.append(str(exc))
                    _clear(page)
        except Exception:
            with contextlib.suppress(Exception):
                page.screenshot(path=out.with_suffix(".png"), full_page=True)
                print(page.locator("body").inner_text(timeout=5_000)[:2000], file=sys.stderr)
            raise
        finally:
            browser.close()
    out.write_text(json.dumps({"seconds": done, "refused": refused}, ensure_ascii=False), encoding="utf-8")


def browser_opens(url: str, tiles: int, n: int = 3) -> list[float]:
    """Seconds from navigation to every tile drawn, in Chromium (one context: the scripts cached
    after the first load, as for a returning viewer): the WebSocket client's figure, checked."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        for _ in range(n + 1):
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function(f"() => document.querySelectorAll('div.ip-tile').length >= {tiles}",
                                   timeout=OPEN_TIMEOUT * 1000)
            times.append(time.perf_counter() - start)
        browser.close()
    return times[1:]  # the first load fetches the scripts


@contextmanager
def uploading(url: str, files: list[Path], seconds: float, tmp: Path, db: Path) -> Iterator[Path]:
    """The statistician in a child process, uploading from the moment it is signed in (when this
    yields) for `seconds`; yields the path its results go to."""
    from ipdata import service

    out = tmp / f"uploads-{time.monotonic_ns()}.json"
    ready = out.with_suffix(".ready")
    latest = service.open_store(db).latest_revision_id()
    proc = subprocess.Popen([sys.executable, "-m", "bench.load", "--statistician", url, "--for", str(seconds),
                             "--revision", str(latest), "--db", str(db), "--out", str(out), *map(str, files)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the statistician did not sign in:\n{proc.communicate()[1][-3000:]}")
            time.sleep(0.2)
        yield out
    finally:
        try:
            _, err = proc.communicate(timeout=seconds + 240)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        if proc.returncode != 0 and not out.exists():
            raise RuntimeError(f"the statistician failed:\n{(err or '')[-3000:]}")


# --- the run -------------------------------------------------------------------------------------


def phase(url: str, db: Path, files: list[Path], tiles: int, n: int, seconds: float, tmp: Path,
          upload: bool = True) -> Phase:
    """N viewers for `seconds`, with the statistician uploading throughout (when `upload`)."""
    result = Phase(n, seconds)
    if upload:
        with uploading(url, files, seconds, tmp, db) as out:
            times, errors = asyncio.run(_viewers(url, tiles, n, seconds))
        got = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"seconds": [], "refused": []}
        result.uploads, result.refused = len(got["seconds"]), got["refused"]
        result.upload_median = statistics.median(got["seconds"]) if got["seconds"] else None
    else:
        times, errors = asyncio.run(_viewers(url, tiles, n, seconds))
    result.opens, result.failed, result.errors = len(times) + len(errors), len(errors), errors[:5]
    result.load = round(os.getloadavg()[0], 1)
    if times:
        result.p50, result.p95, result.worst = statistics.median(times), _p95(times), max(times)
        if errors:  # a failed open counts at the timeout
            result.p95 = _p95(times + [OPEN_TIMEOUT] * len(errors))
    return result


def ladder(max_viewers: int) -> list[int]:
    out, n = [], 1
    while n < max_viewers:
        out.append(n)
        n = n * 2 if n < 8 else n + 8 if n < 32 else n + 16
    return [*out, max_viewers]


def run(max_viewers: int, seconds: float, budget: float, tmp: Path, log=print) -> dict:
    started = time.monotonic()
    db, files, tiles = prepare(tmp)
    phases: list[Phase] = []
    with dashboard(db, tmp / "streamlit.log") as url:
        asyncio.run(open_overview(url, tiles))  # warm: the first run imports and fills the caches
        quiet = phase(url, db, files, tiles, 1, min(seconds, 15), tmp, upload=False)
        browser = browser_opens(url, tiles, 2)
        log(f"1 viewer, no upload: p50 {quiet.p50:.2f} s, p95 {quiet.p95:.2f} s; "
            f"in Chromium {', '.join(f'{t:.2f}' for t in browser)} s")
        held, missed = 0, None
        for n in ladder(max_viewers):
            if time.monotonic() - started > budget:
                break
            phases.append(p := phase(url, db, files, tiles, n, seconds, tmp))
            log(f"{n} viewers: {p.opens} opens, p50 {p.p50 or 0:.2f} s, p95 {p.p95 or 0:.2f} s, "
                f"{p.failed} failed, {p.uploads} uploads, {len(p.refused)} refused {p.refused[:1]}")
            if not p.held:
                missed = n
                break
            held = n
        # bisect between the last count that held and the first that did not (steps of ≥ 2)
        while missed is not None and missed - held > 2 and time.monotonic() - started < budget:
            n = (held + missed) // 2
            phases.append(p := phase(url, db, files, tiles, n, seconds, tmp))
            log(f"{n} viewers: p95 {p.p95 or 0:.2f} s, {p.failed} failed")
            held, missed = (n, missed) if p.held else (held, n)
    return {"held": held, "missed": missed, "p95_limit": P95_LIMIT, "seconds_per_phase": seconds,
            "quiet": asdict(quiet), "browser_quiet": browser, "phases": [asdict(p) | {"held": p.held} for p in phases],
            "nproc": len(os.sched_getaffinity(0)), "server": server_script().name,
            "wall_seconds": round(time.monotonic() - started)}


def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f} s"


def table(result: dict) -> str:
    lines = ["| viewers | opens | p50 | p95 | worst | failed | uploads (median) | refused | load | held? |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    s = _s
    for p in sorted(result["phases"], key=lambda p: p["viewers"]):
        lines.append(f"| {p['viewers']} | {p['opens']} | {s(p['p50'])} | {s(p['p95'])} | {s(p['worst'])} | "
                     f"{p['failed']} | {p['uploads']} ({s(p['upload_median'])}) | {len(p['refused'])} | {p['load']} | "
                     f"{'yes' if p['held'] else '**no**'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--max-viewers", type=int, default=96)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--budget", type=float, default=1800.0, help="stop starting phases after this")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--statistician", help=argparse.SUPPRESS)  # child process: the uploads
    parser.add_argument("--for", dest="for_seconds", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--revision", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.statistician:
        statistician(args.statistician, args.db, args.files, args.for_seconds, args.out, args.revision)
        return 0
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        print("needs Debian's chromium for the statistician (make setup installs it as root)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ipdata-load-") as tmp:
        result = run(args.max_viewers, args.seconds, args.budget, Path(tmp),
                     log=lambda m: print(m, file=sys.stderr, flush=True))
    print(table(result))
    quiet = result["quiet"]
    print(f"\nheld: {result['held']} viewers with p95 ≤ {P95_LIMIT:g} s while uploading "
          f"(first miss: {result['missed'] or '—'}); alone and without uploads one open takes "
          f"{_s(quiet['p50'])} (p50) over the WebSocket, "
          f"{', '.join(_s(t) for t in result['browser_quiet'])} in Chromium; "
          f"nproc {result['nproc']}, {result['wall_seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
