"""Where the sink's batches are written: in the ingesting process, or in a second one.

A DataHub pipeline builds its records in one thread, which keeps one core busy; writing the
batches (reading the latest values, versioning, the entity and search indexes) is as much
work again. ``ProcessWriter`` hands each batch, as canonical JSON text, to a writer process
so that both cores work: batches are written in the order they were handed over, whole,
and their results come back in that order; batches that queued up while the writer was
busy share one transaction (fewer commits, and pages written once for several batches),
and if it fails each is written again alone, so only a refused batch fails. On SQLite a
thread of the writer copies the write-ahead log into the file after each commit
(``catalog.wal_checkpoints``). ``InlineWriter`` writes
in the calling process. Both report each batch through the same callback, so the sink
counts, fails and acknowledges records the same way whichever writes.

The writer process leaves when the ingesting process goes away (even killed): a batch it
had begun commits whole or not at all, as any batch does.
"""

from __future__ import annotations

import gc
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from catalog.aspect_values import AspectWrite
from catalog.errors import CartableError
from catalog.models import BatchResult
from catalog.wal_checkpoints import BackgroundCheckpoints

if TYPE_CHECKING:
    from catalog.service import Catalog

Done = Callable[[BatchResult | None, Exception | None], None]
# (urn, aspect, value, system metadata, patch, facts): an AspectWrite without the parsed
# value
WireWrite = tuple[str, str, str, str | None, bool, object]
Batch = tuple[int, list[WireWrite]]  # (sequence, its writes)
STOP_SECONDS = 120  # for the writer to finish its last batch once told to stop
QUEUED = 4  # batches waiting to be sent: the source runs ahead while the writer starts
GROUP_ASPECTS = 25_000  # at most this many aspects in one transaction of grouped batches
GROUP_WAIT = 0.01  # seconds the writer waits for the batches queued behind the one it read
READY = "ready"  # the writer's first reply: its imports done and the catalogue open
GC_THRESHOLDS = (500_000, 20, 100)  # as the sink's: the writer allocates as much


class InlineWriter:
    """Writes each batch at once, in this process; on a SQLite catalogue (``sqlite_path``)
    a thread copies the log into the file after each commit, as in the writer process, so
    that the copy runs while the source goes on rather than when the catalogue closes."""

    def __init__(
        self,
        write: Callable[[Sequence[AspectWrite]], BatchResult],
        *,
        sqlite_path: str | None = None,
    ) -> None:
        self._write = write
        self._sqlite_path = sqlite_path
        self._checkpoints: BackgroundCheckpoints | None = None  # from the first commit

    def submit(self, writes: Sequence[AspectWrite], done: Done) -> None:
        """Write one batch and report it."""
        try:
            result = self._write(writes)
        except Exception as exc:
            done(None, exc)
            return
        if self._sqlite_path is not None:
            if self._checkpoints is None:
                self._checkpoints = BackgroundCheckpoints(self._sqlite_path)
            self._checkpoints.committed()
        done(result, None)

    def close(self) -> None:
        """Return once the log of every batch written is copied into the file."""
        if self._checkpoints is not None:
            self._checkpoints.close()
            self._checkpoints = None


class ProcessWriter:
    """Writes batches in a second process, in order, reporting each when it lands.

    The writer is a fresh interpreter (``python -m catalog.batch_writer``) talking over its
    standard input and output, so the ingesting script is not imported again (as
    multiprocessing's spawn would) and the writer sees the end of its input, and leaves,
    when the ingesting process goes away.
    """

    def __init__(self, db_url: str, *, actor: str, run_id: str | None) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "catalog.batch_writer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._to_writer = Connection(os.dup(self._process.stdin.fileno()), readable=False)
        self._from_writer = Connection(os.dup(self._process.stdout.fileno()), writable=False)
        self._process.stdin.close()
        self._process.stdout.close()
        self._pending: dict[int, Done] = {}
        self._next = 0
        self._stopped: str | None = None
        self._ready = False
        # a thread sends, so the source goes on while the writer starts or is busy
        self._outbox: queue.Queue[Batch | None] = queue.Queue(maxsize=QUEUED)  # None: the end
        self._sender = threading.Thread(
            target=self._send_all, name="cartable-writer-feed", daemon=True
        )
        self._sender.start()
        self._to_writer.send((db_url, actor, run_id))  # the URL goes by the pipe, never argv

    def ready(self, wait: float = 0.0) -> bool:
        """Whether the writer has started (waiting up to ``wait`` seconds for it); until
        then the sink writes inline, so starting costs the ingestion nothing."""
        if not self._ready and not self._stopped:
            try:
                if self._from_writer.poll(wait):
                    self._ready = self._from_writer.recv() == READY
            except (EOFError, OSError):
                self._writer_stopped()
        return self._ready

    def submit(self, writes: Sequence[AspectWrite], done: Done) -> None:
        """Hand one batch over (waiting while the writer is busy); report what has landed."""
        sequence = self._next
        self._next += 1
        if self._stopped:
            done(None, CartableError(self._stopped))
            return
        self._pending[sequence] = done
        wire = [(w.urn, w.aspect, w.value, w.system_metadata, w.patch, w.facts) for w in writes]
        self._outbox.put((sequence, wire))  # text: parsed again there
        self._collect(block=False)

    def wait(self) -> None:
        """Return once every batch handed over has landed or failed, each reported."""
        while self._pending:
            self._collect(block=True)

    def close(self) -> None:
        """Wait for the pending batches, then stop the writer process (at once when none is
        in flight: every batch it took has been acknowledged, so nothing is lost)."""
        try:
            self.wait()
        finally:
            self._outbox.put(None)
            self._sender.join()
            self._to_writer.close()  # the writer leaves at the end of its input
            if not self._pending:  # nothing in flight: no need to wait for it to exit
                self._process.kill()
            try:
                self._process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._from_writer.close()

    def _send_all(self) -> None:
        """The sending thread: the batches that queued up while the writer was busy go
        over together (the writer writes them in one transaction); once the writer is gone
        (its results end, and ``_collect`` fails what it had not written), the rest is
        dropped."""
        gone = False
        ending = False
        while not ending:
            message = self._outbox.get()
            if message is None:
                return
            group = [message]
            while _size(group) < GROUP_ASPECTS and not self._outbox.empty():
                queued = self._outbox.get_nowait()
                if queued is None:
                    ending = True
                    break
                group.append(queued)
            if not gone:
                try:
                    self._to_writer.send(group)
                except OSError:
                    gone = True

    def _collect(self, *, block: bool) -> None:
        """Report the results that came back."""
        while self._pending and (block or self._from_writer.poll()):
            try:
                reply = self._from_writer.recv()
            except (EOFError, OSError):
                self._writer_stopped()
                return
            if reply == READY:  # batches handed over before anyone asked whether it was up
                self._ready = True
                continue
            sequence, result, error = reply
            done = self._pending.pop(sequence)
            if error is None:
                done(BatchResult.model_validate(result), None)
            else:
                done(None, CartableError(error))
            block = False

    def _writer_stopped(self) -> None:
        """Fail every pending batch, and every later one, with the writer's exit."""
        code = self._process.poll()
        if code is None:
            self._process.kill()
            code = self._process.wait()
        self._stopped = f"the catalogue writer process stopped (exit code {code})"
        pending, self._pending = self._pending, {}
        for sequence in sorted(pending):
            pending[sequence](None, CartableError(self._stopped))


def serve(requests: Connection, replies: Connection) -> None:
    """The writer process: write each batch as it comes, until its input ends."""
    from catalog.database import open_database, sqlite_file
    from catalog.service import Catalog
    from catalog.wal_checkpoints import BACKSTOP_WAL_PAGES

    gc.set_threshold(*GC_THRESHOLDS)
    db_url, actor, run_id = requests.recv()
    catalog = Catalog(open_database(db_url, migrate=False, wal_pages=BACKSTOP_WAL_PAGES))
    path = sqlite_file(catalog.database.engine.url)
    checkpoints = BackgroundCheckpoints(path) if path else None
    gc.freeze()  # what the imports built lives as long as the writer: never walked again
    replies.send(READY)
    try:
        while True:
            try:
                group: list[Batch] = requests.recv()
            except EOFError:
                return
            # batches already waiting join this transaction: fewer commits when behind (the
            # ingesting process sends what queued up as soon as the last message is read)
            while _size(group) < GROUP_ASPECTS and requests.poll(GROUP_WAIT):
                try:
                    group += requests.recv()
                except EOFError:
                    break
            outcomes = _write_group(catalog, group, actor, run_id)
            for outcome in outcomes:
                replies.send(outcome)
            if checkpoints is not None and any(error is None for _s, _r, error in outcomes):
                checkpoints.committed()
    finally:
        if checkpoints is not None:
            checkpoints.close()
        catalog.close()


def _write_group(
    catalog: Catalog, group: list[Batch], actor: str, run_id: str | None
) -> list[tuple[int, dict[str, int] | None, str | None]]:
    """Write a group of batches in one transaction; (sequence, result, error) of each.

    The group's counts come back with its last batch (the sink adds them up). When the
    transaction fails, each batch is written again on its own, so only a refused batch
    fails.
    """
    try:
        writes = [
            AspectWrite(urn, aspect, value, system, patch, None, facts)
            for _sequence, batch in group
            for urn, aspect, value, system, patch, facts in batch
        ]
        result = catalog.write(writes, actor=actor, run_id=run_id)
    except Exception as exc:  # reported to the ingesting process, per batch
        if len(group) > 1:
            return [
                outcome
                for batch in group
                for outcome in _write_group(catalog, [batch], actor, run_id)
            ]
        return [(group[0][0], None, f"{type(exc).__name__}: {exc}")]
    empty = BatchResult().model_dump()
    return [(sequence, empty, None) for sequence, _batch in group[:-1]] + [
        (group[-1][0], result.model_dump(), None)
    ]


def _size(group: list[Batch]) -> int:
    return sum(len(batch) for _sequence, batch in group)


def main() -> None:
    """Entry point of the writer process: requests on stdin, replies on stdout."""
    replies = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the replies
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the ingesting process decides
    try:
        serve(Connection(0, writable=False), replies)
    except (EOFError, BrokenPipeError):  # the ingesting process went away
        pass


if __name__ == "__main__":
    main()
