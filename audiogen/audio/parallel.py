"""Speak many sentences at once: worker processes here, threads for network engines, or Dask.

A runner takes the sentences the cache lacks and makes sure the cache has
them when it returns; the caller then reads them back in script order, so
the order work finishes in never matters.

- Offline engines run in worker processes, one engine load per worker (not
  per sentence), each engine told to use one thread so workers do not fight
  over cores. The pool lives as long as the runner: a batch of articles loads
  each engine once per worker.
- Network engines run in a few threads sharing one engine: the work is
  waiting on a server, and a handful of requests at a time is polite.
- Dask (``dask://HOST:PORT``) sends the sentences to an existing cluster,
  whose workers write into the cache folder: it must be a path every worker
  and this machine share.

An engine goes to another process as an ``EngineSpec`` (its class and
options), never as the loaded object.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import (
    FIRST_EXCEPTION,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from audiogen.audio.cache import Entry, SpeechCache
from audiogen.engines.base import Engine, EngineOptions, gives_word_timings
from audiogen.errors import BadInput, SynthesisFailed
from audiogen.models import Audio

# Requests in flight at once for an engine that calls a web service.
NETWORK_CONCURRENCY = 3
DASK_SCHEME = "dask://"
DASK_HINT = "install the optional extra: pip install 'audiogen[dask]'"


# What every worker process needs before its first task: the signal processing stack
# (scipy alone takes most of a second to import).
WORKER_PRELOAD = ("audiogen.audio.render", "scipy.signal", "scipy.ndimage", "pyloudnorm.iirfilter")


def start_worker_server(preload: Sequence[str] = WORKER_PRELOAD) -> None:
    """Start multiprocessing's fork server now, with ``preload`` imported in it.

    Worker processes are forked from it, so they start with those modules
    loaded, in milliseconds; and it loads them in a process of its own, while
    this one gets on with reading articles. This sets the process-wide fork
    server configuration, so it is for applications (the CLI) to call, once,
    before any worker starts; a Python without a fork server just skips it.
    """
    import multiprocessing
    from multiprocessing import forkserver

    try:
        multiprocessing.set_forkserver_preload(list(preload))
        forkserver.ensure_running()
    except (AttributeError, ValueError, OSError):
        return


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Job:
    """One sentence to speak and the cache key its audio goes under."""

    key: str
    text: str


@dataclass(frozen=True)
class EngineSpec:
    """How to make an engine again anywhere: its class (importable by name) and options."""

    factory: type[Engine]
    options: EngineOptions

    def create(self) -> Engine:
        engine = self.factory(self.options)
        engine.check()
        return engine


def engine_spec(engine: Engine) -> EngineSpec | None:
    """The spec that remakes ``engine`` from its ``options``; None when its class cannot
    be pickled by name (defined inside a function, say): then it runs in this process."""
    spec = EngineSpec(type(engine), engine.options)
    try:
        pickle.dumps(spec)
    except (pickle.PicklingError, AttributeError, TypeError):
        return None
    return spec


# What a sentence with no sound becomes: a moment of silence, so the episode and its
# timings go on. Text with nothing to say never reaches an engine (the normalizer drops
# it); an engine that still answers a sentence with no audio must not end the batch.
SILENT_MS = 50


def speak_one(engine: Engine, cache: SpeechCache, job: Job) -> Entry:
    """Have ``engine`` speak ``job`` into ``cache``."""
    audio = engine.synthesize(job.text)
    if audio.samples == 0:
        audio = Audio(bytes(2 * (audio.sample_rate * SILENT_MS // 1000)), audio.sample_rate)
    return cache.put(job.key, audio, timed=gives_word_timings(engine))


def workers_that_fit(memory_mb: int, wanted: int) -> int:
    """How many copies of an engine of ``memory_mb`` fit beside each other in this machine's
    available memory, keeping a quarter of it free: at least one, at most ``wanted``."""
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError):
        return wanted
    if memory_mb <= 0:
        return wanted
    return max(1, min(wanted, int(available * 0.75) // memory_mb))


# One engine per worker thread, made on its first sentence and kept for the
# next ones: this is what makes a worker load its voice once, not per sentence.
_WORKER = threading.local()


def _worker_engine(spec: EngineSpec) -> Engine:
    engines: dict[EngineSpec, Engine] = _WORKER.__dict__.setdefault("engines", {})
    if spec not in engines:
        engines[spec] = spec.create()
    return engines[spec]


def speak_in_worker(spec: EngineSpec, cache_root: str, job: Job) -> Entry:
    """The task a worker process (or Dask worker) runs for one sentence."""
    return speak_one(_worker_engine(spec), SpeechCache(Path(cache_root)), job)


Done = Callable[[Job], None]


class Runner(Protocol):
    def speak(self, engine: Engine, jobs: Sequence[Job], cache: SpeechCache, done: Done) -> None:
        """Put every job's audio in ``cache``; call ``done`` after each one."""

    def close(self) -> None: ...


def _finish(futures: dict[Future[Entry], Job], done: Done) -> None:
    """Wait for all, reporting each as it ends; on the first failure cancel the rest and raise it."""
    pending = set(futures)
    try:
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                future.result()
                done(futures[future])
    except BaseException:
        for future in pending:
            future.cancel()
        raise


class LocalRunner:
    """Speak on this machine with up to ``jobs`` sentences at once (default: every core)."""

    def __init__(self, jobs: int | None = None) -> None:
        if jobs is not None and jobs < 1:
            raise BadInput(f"--jobs must be 1 or more, not {jobs}")
        self.jobs = jobs or available_cores()
        self._pools: dict[EngineSpec, ProcessPoolExecutor] = {}

    def speak(self, engine: Engine, jobs: Sequence[Job], cache: SpeechCache, done: Done) -> None:
        if engine.needs_network:
            self._threads(engine, jobs, cache, done)
            return
        spec = engine_spec(engine) if self.jobs > 1 else None
        if spec is None or (len(jobs) < 2 and spec not in self._pools):
            for job in jobs:
                speak_one(engine, cache, job)
                done(job)
            return
        pool = self._pool(spec)
        # Workers get one compute thread each: together they fill the cores.
        worker_spec = replace(spec, options=replace(spec.options, threads=1))
        futures = {
            pool.submit(speak_in_worker, worker_spec, str(cache.root), job): job for job in jobs
        }
        try:
            _finish(futures, done)
        except BrokenProcessPool as exc:
            self._pools.pop(spec, None)
            raise SynthesisFailed(
                f"a {engine.name} worker process died ({exc}); "
                "if memory is short, build with fewer --jobs"
            ) from exc

    def _threads(self, engine: Engine, jobs: Sequence[Job], cache: SpeechCache, done: Done) -> None:
        workers = min(self.jobs, NETWORK_CONCURRENCY, len(jobs))
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            _finish({pool.submit(speak_one, engine, cache, job): job for job in jobs}, done)

    def _pool(self, spec: EngineSpec) -> ProcessPoolExecutor:
        if spec not in self._pools:
            # forkserver, not fork: a parent that already runs an engine's
            # threads (onnxruntime's) cannot be forked safely.
            workers = workers_that_fit(spec.factory.memory_mb, self.jobs)
            self._pools[spec] = ProcessPoolExecutor(
                max_workers=workers, mp_context=get_context("forkserver")
            )
        return self._pools[spec]

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        self._pools.clear()

    def __enter__(self) -> LocalRunner:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class DaskRunner:
    """Speak on a Dask distributed cluster at ``address`` (``tcp://HOST:PORT``)."""

    def __init__(self, address: str, timeout: float = 30.0) -> None:
        try:
            from distributed import Client as _Client
        except ImportError as exc:
            raise BadInput(f"the Dask executor needs Dask distributed; {DASK_HINT}") from exc
        client: Any = _Client  # distributed's API is untyped
        try:
            self._client: Any = client(address, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise BadInput(
                f"cannot reach the Dask scheduler at {address}: {exc} "
                "(start one with `dask scheduler`, or build without --executor)"
            ) from exc

    def speak(self, engine: Engine, jobs: Sequence[Job], cache: SpeechCache, done: Done) -> None:
        from distributed import as_completed as _as_completed

        as_completed: Any = _as_completed  # distributed's API is untyped
        spec = engine_spec(engine)
        if spec is None:
            raise BadInput(
                f"the {engine.name} engine cannot be sent to Dask workers "
                "(it keeps no EngineOptions as .options); build without --executor"
            )
        worker_spec = replace(spec, options=replace(spec.options, threads=1))
        futures = self._client.map(
            speak_in_worker,
            [worker_spec] * len(jobs),
            [str(cache.root)] * len(jobs),
            list(jobs),
            pure=False,
        )
        by_future = dict(zip(futures, jobs, strict=True))
        try:
            for future in as_completed(futures):
                future.result()
                done(by_future[future])
        except BaseException:
            self._client.cancel(futures)
            raise

    def close(self) -> None:
        self._client.close()


def make_runner(executor: str | None = None, jobs: int | None = None) -> Runner:
    """The runner for ``executor``: None or ``local`` for this machine, ``dask://HOST:PORT``."""
    if executor is None or executor == "local":
        return LocalRunner(jobs)
    if executor.startswith(DASK_SCHEME) and len(executor) > len(DASK_SCHEME):
        return DaskRunner("tcp://" + executor[len(DASK_SCHEME) :])
    raise BadInput(f"unknown executor {executor!r}: use local or dask://HOST:PORT")
