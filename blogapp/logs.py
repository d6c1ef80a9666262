"""Logging for the app and its commands: one dictConfig, text or JSON lines, each record with its request id."""

import json
import logging
import logging.config
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask

# The id of the request this thread is answering ("-" outside a request); set by serving/observed.py.
request_id: ContextVar[str] = ContextVar("blogapp_request_id", default="-")
# Attributes every LogRecord has; anything else on a record came from `extra=` and goes into the JSON line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Give each record the id of the request it was logged in."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `request_id` to the record; keep it."""
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object a line: time, level, logger, message, request id and extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        line.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class StderrHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is when the record is emitted (test runners and daemons swap it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        """Return the current sys.stderr."""
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def default_config(level: str, fmt: str) -> dict:
    """Return the dictConfig that sends blogapp's records at `level` and up to stderr as text or JSON lines."""
    formatter = {"()": JsonFormatter} if fmt == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"blogapp": formatter},
        "handlers": {"stderr": {"()": StderrHandler, "filters": ["request_id"], "formatter": "blogapp"}},
        # Every module logs under "blogapp.…" (and Flask's app.logger is "blogapp"); the index retry loop, the
        # search drain and the access log (LOG_ACCESS) are INFO.
        "loggers": {"blogapp": {"level": level, "handlers": ["stderr"], "propagate": False}},
    }


def init_app(app: Flask) -> None:
    """Configure logging: LOGGING_CONFIG when given (a whole dictConfig), else LOG_LEVEL and LOG_FORMAT."""
    config = app.config.get("LOGGING_CONFIG") or default_config(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    logging.config.dictConfig(config)
