"""Log lines of the gateway: JSON or text, each with the ID of the request it was written for,
and never a secret, whichever logger or handler writes it.

* `install_log_redaction()` makes every log record of the process carry its request ID and have
  its secrets masked (`resolvers.aws.redaction`) when it is created: message, arguments,
  traceback and stack.
* `configure_logging(settings)` sends the logs to stderr as `settings.log_format` at
  `settings.log_level` (`dxgraph serve` calls it; `install_observability` does when nothing
  configured the root logger yet).
* `request_record` holds the request being served in this context (`RequestRecord`, set by
  `gql.http.observability`); worker threads that copy the context see it too.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from gql.settings import Settings
from resolvers.aws.redaction import redact

__all__ = [
    "JsonFormatter",
    "RedactionFilter",
    "RequestIdFilter",
    "RequestRecord",
    "TextFormatter",
    "configure_logging",
    "current_request_id",
    "install_log_redaction",
    "redact_record",
    "request_record",
]


# -- redaction -----------------------------------------------------------------------------------
def _redacted_arg(arg: Any) -> Any:
    if isinstance(arg, str):
        return redact(arg)
    try:
        shown = str(arg)
    except Exception:
        return "<unprintable>"
    masked = redact(shown)
    return arg if masked == shown else masked


def redact_record(record: logging.LogRecord) -> None:
    """Masks secrets in a record's message, arguments, traceback and stack (in place, once)."""
    if getattr(record, "_dxgraph_redacted", False):
        return
    setattr(record, "_dxgraph_redacted", True)  # noqa: B010
    try:
        message = record.getMessage()
    except Exception:  # arguments that do not fit the format: keep neither raw
        record.msg = redact(f"{record.msg!s} (unformattable arguments: {record.args!r})")
        record.args = None
    else:
        masked = redact(message)
        if masked != message:
            # Keep the arguments when masking them is enough (formatters such as uvicorn's
            # access formatter read them); otherwise replace the whole message.
            args = record.args
            if isinstance(args, tuple) and args:
                record.args = tuple(_redacted_arg(arg) for arg in args)
                try:
                    fixed = record.getMessage() == masked
                except Exception:
                    fixed = False
                if not fixed:
                    record.msg, record.args = masked, None
            else:
                record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class RedactionFilter(logging.Filter):
    """Masks secrets in every record it sees (`install_log_redaction` applies it to all)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


# -- request IDs ---------------------------------------------------------------------------------
@dataclass
class RequestRecord:
    """What the access log line of one request reports, filled while it is served."""

    request_id: str
    operation: str | None = None
    outcome: str | None = None


request_record: ContextVar[RequestRecord | None] = ContextVar("dxgraph_request", default=None)
"""The request being served in this context (set by `ObservabilityMiddleware`)."""


def current_request_id() -> str | None:
    """The ID of the request being served in this context, if any."""
    record = request_record.get()
    return None if record is None else record.request_id


class RequestIdFilter(logging.Filter):
    """Puts the current request ID on each record as `request_id` (None outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            setattr(record, "request_id", current_request_id())  # noqa: B010
        return True


def install_log_redaction() -> None:
    """Makes every log record of the process carry its request ID and have its secrets masked
    when it is created, so handlers configured elsewhere (uvicorn's, a test's) get clean records.
    Idempotent."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_dxgraph", False):
        return
    stamp, scrub = RequestIdFilter(), RedactionFilter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        stamp.filter(record)
        scrub.filter(record)
        return record

    factory._dxgraph = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


# -- log formats ---------------------------------------------------------------------------------
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
    "_dxgraph_redacted",
    "taskName",
}


def _json_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: `timestamp` (UTC, ISO 8601), `level`, `logger`, `message`,
    `request_id`, any `extra=` fields, and `exception` when there is one. Every string is
    redacted."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC)
        payload: dict[str, Any] = {
            "timestamp": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": _json_value(getattr(record, "request_id", None)),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                payload[key] = _json_value(value)
        if record.exc_info or record.exc_text:
            text = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
            payload["exception"] = redact(text)
        if record.stack_info:
            payload["stack"] = redact(record.stack_info)
        return json.dumps(payload, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time level logger [request-id] message`, redacted."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            defaults={"request_id": "-"},
        )

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


_HANDLER_MARK = "_dxgraph_handler"


def configure_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Sends the process's logs to `stream` (default stderr) as `settings.log_format` at
    `settings.log_level`, with request IDs and secrets masked.

    Replaces a handler an earlier call added (never others), so calling it again reconfigures.
    Returns the handler (remove it from the root logger to undo).
    """
    install_log_redaction()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    added = logging.StreamHandler(stream if stream is not None else sys.stderr)
    setattr(added, _HANDLER_MARK, True)
    added.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    added.addFilter(RequestIdFilter())
    added.addFilter(RedactionFilter())
    root.addHandler(added)
    root.setLevel(settings.log_level)
    return added
