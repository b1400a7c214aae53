"""Every upload is parsed in a worker process with a memory limit and a time limit.

A workbook is input from other hands: a 1.6 KB file made calamine ask for 512 GiB and abort the
server, others took minutes of one core. The worker is forked from a small server process started
once (multiprocessing's "forkserver", which has ingest imported already: a fork costs ~20 ms, not
the 1.5 s of a fresh interpreter). In the worker the address space (RLIMIT_AS) and CPU time are
capped and its output goes nowhere; the parent waits without holding the GIL, so other sessions of the
dashboard answer while a file is checked. Whatever happens in the worker — an answer, an abort, a
kill at the deadline, an exception — the caller gets an `Upload`: the data, or a Chinese refusal.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from ipdata.catalogue import Plan
from ipdata.ingest import limits as limits_mod
from ipdata.ingest import raw_upload, read_upload
from ipdata.ingest.known import Known
from ipdata.ingest.limits import Limits
from ipdata.ingest.upload import Upload

log = logging.getLogger(__name__)
_POLL = 0.05  # seconds between looks at the worker (its memory, its answer)
_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


@dataclass(frozen=True)
class Run:
    """How one parse went: the upload, and what the worker cost (for tests and the log)."""

    upload: Upload
    outcome: str  # "done" | "timeout" | "memory" | "crashed" | "error" | "busy" | "unavailable"
    seconds: float
    peak_rss: int  # bytes: the worker's high-water mark as last seen (its own figure when it answered)
    cpu: float = 0.0  # seconds of CPU the worker reported (when it answered)


def read_upload_isolated(source: Path | bytes, plan: Plan, file_name: str | None = None,
                         known: Known | None = None, limits: Limits | None = None) -> Upload:
    """`read_upload` in a worker process: the only way an upload from other hands is read."""
    return run(source, plan, file_name, known, limits).upload


def run(source: Path | bytes, plan: Plan, file_name: str | None = None, known: Known | None = None,
        limits: Limits | None = None) -> Run:
    """Parse one upload in a worker, waiting for a free one (at most `limits.workers` at once)."""
    limits = limits or Limits.from_settings()
    data, upload = raw_upload(source, file_name)
    if not upload.report.valid:  # an unreadable path or an oversized file: nothing to parse
        return Run(upload, "done", 0.0, 0)
    slot = _slot(limits.workers)
    started = time.monotonic()
    if not slot.acquire(timeout=limits.seconds):
        upload.report.add(limits_mod.busy(limits.seconds))
        return Run(upload, "busy", time.monotonic() - started, 0)
    try:
        return _supervise(data, plan, upload, known or Known(), limits)
    finally:
        slot.release()


def _slot(workers: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        return _slots.setdefault(workers, threading.BoundedSemaphore(workers))


def _context() -> multiprocessing.context.BaseContext:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["ipdata.ingest.forkserver_preload"])
    return ctx


def warm_up() -> None:
    """Start the fork server now (it imports ingest, ~1.5 s of one core) so that it is ready when
    the first file comes; callers do this before their own work, to overlap the two."""
    _context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


def _supervise(data: bytes, plan: Plan, upload: Upload, known: Known, limits: Limits) -> Run:
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, data, plan, upload.file_name, known, limits), daemon=True)
    started = time.monotonic()
    try:
        proc.start()
    except OSError:  # no process can be started (out of processes or memory): say so, do not crash
        log.exception("cannot start an upload worker")
        send.close()
        receive.close()
        upload.report.add(limits_mod.unavailable())
        return Run(upload, "unavailable", 0.0, 0)
    send.close()
    peak, answer, outcome = 0, None, "crashed"
    deadline = started + limits.seconds
    try:
        while True:
            peak = max(peak, _rss_peak(proc.pid))
            if receive.poll(_POLL):
                try:
                    answer = receive.recv()
                except (EOFError, OSError):  # died while sending, or before: see the exit code
                    answer = None
                break
            if not proc.is_alive():  # it may have answered and exited since the last look
                if receive.poll(0):
                    try:
                        answer = receive.recv()
                    except (EOFError, OSError):
                        answer = None
                break
            if time.monotonic() > deadline:
                outcome = "timeout"
                break
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        receive.close()
    seconds = time.monotonic() - started
    if isinstance(answer, tuple) and answer[0] == "done":
        _, result, own_peak, cpu = answer
        return Run(result, "done", seconds, max(peak, own_peak), cpu)
    if isinstance(answer, tuple) and answer[0] in ("memory", "error"):
        outcome = answer[0]
        if answer[0] == "error":
            log.error("ingest failed in the worker on %s:\n%s", upload.file_name, answer[1])
    elif outcome != "timeout" and proc.exitcode in (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        outcome = "memory" if proc.exitcode == -signal.SIGABRT else "crashed"  # a Rust allocation failure aborts
    if outcome == "timeout" or proc.exitcode == -signal.SIGXCPU:
        reason = f"检查超过 {limits.seconds:.0f} 秒仍未完成"
    elif outcome == "memory":
        reason = f"需要的内存超过 {limits.memory_bytes / 2**20:,.0f} MB"
    else:
        reason = "读取时出错"
    log.warning("upload %s refused in the worker: %s (%.1f s, exit %s)", upload.file_name, outcome, seconds,
                proc.exitcode)
    upload.report.add(limits_mod.too_complex(reason))
    return Run(upload, outcome, seconds, peak)


def _rss_peak(pid: int | None) -> int:
    """The worker's resident high-water mark (VmHWM), in bytes; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _child(send, data: bytes, plan: Plan, file_name: str, known: Known, limits: Limits) -> None:
    """The worker: limits first, then the parse; the answer is ("done", upload, peak bytes, CPU
    seconds), or ("memory",) or ("error", traceback) for the log."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # a Rust abort prints a backtrace: it must reach no one
    os.dup2(devnull, 1)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = int(limits.seconds) + 5  # the parent kills at the deadline; this holds if the parent is gone
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    try:
        upload = read_upload(data, plan, file_name=file_name, known=known, limits=limits)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        answer: tuple = ("done", upload, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)
    except MemoryError:
        answer = ("memory",)
    except BaseException:
        answer = ("error", traceback.format_exc(limit=20))
    try:
        send.send(answer)
    except MemoryError:
        send.send(("memory",))
    send.close()
