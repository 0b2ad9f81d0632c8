"""Logs that never hold what a person wrote.

Installed as the process-wide log record factory in every server we run (Rasa, the action server, the staff
admin), so it covers every logger and handler, including ones libraries add later. A record keeps its level,
logger name and fixed wording; the values put into that wording are dropped, exception details shrink to the
exception's type, structured (JSON) records keep only their event name, and anything that looks like a request
or tracker body is cut off.
"""

from __future__ import annotations

import json
import logging

MAX_LENGTH = 300
# Where what follows is a request or tracker body, or a client's address and raw request line (gunicorn's
# "Invalid request from ip=…: Invalid HTTP Version 'HTTP/1.1 x'").
BODY_MARKERS = ("body=", "request_body", '{"', "{'", "text=", "Received user message", " ip=")


def withhold_content(message: str) -> str:
    if message.startswith("{"):
        try:
            structured = json.loads(message)
        except ValueError:
            return "(structured log withheld)"
        return f"{structured.get('event', 'event')} (details withheld)"
    cut = min((message.find(marker) for marker in BODY_MARKERS if marker in message), default=-1)
    if cut >= 0:
        message = message[:cut] + "(details withheld)"
    return message if len(message) <= MAX_LENGTH else message[:MAX_LENGTH] + "… (cut)"


def install() -> None:
    base_factory = logging.getLogRecordFactory()
    if getattr(base_factory, "withholds_content", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = base_factory(*args, **kwargs)
        message = withhold_content(str(record.msg)) + (" (values withheld)" if record.args else "")
        if record.exc_info and record.exc_info[0] is not None:
            message += f" [{record.exc_info[0].__name__}]"
        record.msg, record.args = message, ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return record

    factory.withholds_content = True  # type: ignore[attr-defined]  # a mark, so install() stays idempotent
    logging.setLogRecordFactory(factory)
