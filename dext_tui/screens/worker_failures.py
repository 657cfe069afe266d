"""One way for a screen to handle its background work failing.

A worker is started with `@background(OnFailure(...), group=...)` instead of `@work(...)`: the
decorator registers, for that worker object, what to say and how to try again. The screen mixes in
`ReportsWorkerFailures`, whose one `on_worker_state_changed` looks the failed worker up (by the
worker itself, never by matching its group name) and either shows the sentence in the screen's own
status line (naming the key that retries) or opens the failure dialog whose Retry (r) runs the work
again. A failure is never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Protocol, TypeVar

from textual import work
from textual.worker import Worker, WorkerState

from dext_tui.data.failures import plain_reason
from dext_tui.screens.dialogs.failure import FailureScreen

Host = TypeVar("Host", bound="ReportsWorkerFailures")


class ShowsFailures(Protocol):
    """What a screen that reports worker failures provides: one place to say them."""

    def show_failure(self, text: str) -> None:
        """Show `text` (a plain sentence with the reason in it) where the screen says things."""


@dataclass(frozen=True)
class OnFailure:
    """What to do when one worker fails.

    `message` is a sentence with `{reason}` in it; None says nothing (the work is optional).
    `reset(screen)` puts the screen's busy state back first. `show(screen, text)` says it somewhere
    other than the screen's `show_failure`. With `retry(screen)`, the failure opens the failure
    dialog instead (title `message`, the reason below it) whose Retry runs `retry`.
    `reason(error)` turns the exception into the reason (plain_reason unless said otherwise).
    """

    message: str | None
    reset: Callable[[Any], None] | None = None
    show: Callable[[Any, str], None] | None = None
    retry: Callable[[Any], None] | None = None
    reason: Callable[[BaseException], str] = plain_reason


def background(
    failure: OnFailure, *, group: str, exclusive: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Worker[Any]]]:
    """A thread worker (`@work(thread=True, exit_on_error=False)`) whose failure is `failure`."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Worker[Any]]:
        start_worker = work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)(
            method
        )

        @wraps(method)
        def start(self: ReportsWorkerFailures, *args: Any, **kwargs: Any) -> Worker[Any]:
            worker = start_worker(self, *args, **kwargs)
            self.register_worker_failure(worker, failure)
            return worker

        return start

    return decorate


class ReportsWorkerFailures:
    """Mixin for a screen: the one handler of its workers' failures (see the module note)."""

    _worker_failures: dict[Worker[Any], OnFailure]

    def register_worker_failure(self, worker: Worker[Any], failure: OnFailure) -> None:
        """Called by `background` on the UI thread, before the worker's first state message."""
        if not hasattr(self, "_worker_failures"):
            self._worker_failures = {}
        self._worker_failures[worker] = failure

    def show_failure(self, text: str) -> None:  # pragma: no cover - each screen says its own way
        raise NotImplementedError

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state not in (WorkerState.ERROR, WorkerState.SUCCESS, WorkerState.CANCELLED):
            return
        failure = getattr(self, "_worker_failures", {}).pop(event.worker, None)
        error = event.worker.error
        if event.state != WorkerState.ERROR or failure is None or error is None:
            return
        self.report_failure(failure, error)

    def report_failure(self, failure: OnFailure, error: BaseException) -> None:
        """Say `error` as `failure` asks (also usable for work that failed outside a worker)."""
        if failure.reset is not None:
            failure.reset(self)
        if failure.message is None:
            return
        reason = failure.reason(error)
        if failure.retry is not None:
            retry = failure.retry
            self.app.push_screen(  # type: ignore[attr-defined]
                FailureScreen(failure.message, reason),
                lambda again: retry(self) if again else None,
            )
            return
        text = failure.message.format(reason=reason)
        if failure.show is not None:
            failure.show(self, text)
        else:
            self.show_failure(text)
