"""Running the parsing of an untrusted upload in a child process with a CPU-time and memory limit.

An anonymous visitor's PDF on /verify/, or a workbook given to the plan import, can be built so
that parsing it takes minutes of CPU or gigabytes of memory (a form listing one field three
million times, a zip bomb). :func:`run_limited` forks the worker, and the child sets
``RLIMIT_CPU`` (settings.SANDBOX_CPU_SECONDS) and ``RLIMIT_AS`` (the parent's address space plus
settings.SANDBOX_MEMORY_MB) on itself, calls the function, sends the pickled result back through
a pipe and leaves with ``os._exit``. A child that runs out of CPU is killed by the kernel
(SIGXCPU, then SIGKILL), one that runs out of memory gets a ``MemoryError``, one that takes too
long in wall time (settings.SANDBOX_WALL_SECONDS: a deadlock, a stalled machine) is killed by the
parent: each raises :class:`LimitExceeded`, which the caller turns into a clear message.

Rules for the function run in the child:
- no database access: the child shares the parent's database sockets (it never closes them,
  ``os._exit`` runs no finalizer) and, under a test's transaction, could not see its rows anyway;
  do lookups in the parent, before or after;
- arguments are inherited through ``fork`` (nothing is copied up front); the result and any
  exception raised come back pickled, so they must be picklable (dataclasses of plain values).

Every run is logged on the ``core.sandbox`` logger with its :class:`Usage` (``record.usage``):
the CPU seconds and peak memory the child really used, as the kernel reports them (``wait4``).
Where ``fork`` is missing, or with settings.SANDBOX_ENABLED off, the function runs in-process.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import select
import signal
import time
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

MB = 1024 * 1024
RESULT_MAX_BYTES = 64 * MB
# Signals whose handlers the child must not inherit (gunicorn's worker, pytest): it dies on them.
_RESET_SIGNALS = ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGABRT", "SIGXCPU")
_EXIT_OK, _EXIT_FAILED = 0, 70


@dataclass(frozen=True)
class Usage:
    """What one child used: CPU (user + system) seconds and peak resident memory, with the part of
    it above what the parent had resident when it forked."""

    label: str
    cpu_seconds: float
    max_rss_mb: float
    growth_mb: float
    outcome: str  # "ok", "error", "cpu", "memory", "time", "result", "crash"


class LimitExceeded(Exception):
    """The work ran out of CPU time, memory or wall time: the input is too costly to process."""

    def __init__(self, usage: Usage):
        self.usage = usage
        super().__init__(f"{usage.label}: {usage.outcome} limit ({usage.cpu_seconds:.2f} s CPU, {usage.growth_mb:.0f} MB)")


def run_limited(function, /, *args, label: str = "work", **kwargs):
    """``function(*args, **kwargs)`` in a limited child process; its return value, or its exception
    re-raised here; :class:`LimitExceeded` when a limit stopped it."""
    if not getattr(settings, "SANDBOX_ENABLED", True) or not hasattr(os, "fork"):
        return function(*args, **kwargs)
    cpu_seconds = max(1, int(settings.SANDBOX_CPU_SECONDS))
    memory = int(settings.SANDBOX_MEMORY_MB) * MB
    base_vm = _address_space()
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        _child(write_fd, function, args, kwargs, cpu_seconds, base_vm + memory if base_vm else None)
    os.close(write_fd)
    try:
        data, stopped = _read_result(read_fd, pid, time.monotonic() + settings.SANDBOX_WALL_SECONDS)
    except BaseException:  # interrupted here: the child must not outlive the request
        _kill(pid)
        _wait(pid)
        raise
    finally:
        os.close(read_fd)
    status, cpu, max_rss = _wait(pid)
    # the child's first 8 bytes: its resident size when it started (fork shares, and counts, fewer pages)
    base_rss = int.from_bytes(data[:8], "little") if len(data) >= 8 else 0
    outcome, value = _outcome(data[8:], stopped, status)
    usage = Usage(label=label, cpu_seconds=round(cpu, 3), max_rss_mb=round(max_rss / MB, 1),
                  growth_mb=round(max(0, max_rss - base_rss) / MB, 1), outcome=outcome)
    logger.info("%s in a limited child: %s, %.2f s CPU, %.0f MB peak (+%.0f MB)", label, outcome,
                usage.cpu_seconds, usage.max_rss_mb, usage.growth_mb, extra={"usage": usage})
    if outcome == "ok":
        return value
    if outcome == "error":
        raise value
    raise LimitExceeded(usage)


def _child(fd: int, function, args, kwargs, cpu_seconds: int, address_space: int | None):
    code = _EXIT_FAILED
    try:
        for name in _RESET_SIGNALS:
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)
        _reset_peak()
        _write_all(fd, _resident().to_bytes(8, "little"))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # soft limit: SIGXCPU ends the child; the hard one (a second later) is SIGKILL
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        if address_space:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        try:
            payload = ("ok", function(*args, **kwargs))
        except MemoryError:
            payload = ("memory", None)
        except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
            payload = ("error", error)
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        except Exception as error:  # an unpicklable result or exception
            data = pickle.dumps(("error", RuntimeError(f"unpicklable result of the limited child: {error!r}")))
        _write_all(fd, data)
        code = _EXIT_OK
    finally:
        os._exit(code)  # no atexit, no finalizers: the parent's sockets and files stay as they are


def _reset_peak() -> None:
    """Start the child's peak resident size from what it has now: a forked child inherits the parent's
    peak (``hiwater_rss``), which in a long-lived worker can be far above its resident size, and would
    hide the child's own growth. Linux resets it on «5» written to ``/proc/self/clear_refs``."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_result(fd: int, pid: int, deadline: float) -> tuple[bytes, str]:
    """Everything the child writes, until it closes the pipe; (its header, reason) when the parent stopped it."""
    chunks, size = [], 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _kill(pid)
            return b"".join(chunks)[:8], "time"
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 1024 * 1024)
        if not chunk:
            return b"".join(chunks), ""
        size += len(chunk)
        if size > RESULT_MAX_BYTES:
            _kill(pid)
            return b"".join(chunks[:1])[:8], "result"
        chunks.append(chunk)


def _wait(pid: int) -> tuple[int, float, int]:
    """Reap the child: (wait status, CPU seconds, peak resident bytes) as the kernel counted them."""
    try:
        _pid, status, usage = os.wait4(pid, 0)
    except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored): nothing is known about its use
        return 0, 0.0, 0
    return status, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024  # ru_maxrss is in KB on Linux


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _outcome(data: bytes, stopped: str, status: int):
    if stopped:
        return stopped, None
    if os.WIFSIGNALED(status):
        killer = os.WTERMSIG(status)
        return ("cpu" if killer in (signal.SIGXCPU, signal.SIGKILL) else "crash"), None
    if not data:
        return "crash", None  # e.g. the memory ran out while the result was being sent
    try:
        kind, value = pickle.loads(data)
    except Exception:  # a truncated result
        return "crash", None
    return kind, value


def _address_space() -> int:
    """The process's virtual memory size in bytes (Linux), 0 where unknown (then no memory limit)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _resident() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
