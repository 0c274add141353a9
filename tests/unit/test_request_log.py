"""The request log's line written straight to the JSON-lines handler is the line a LogRecord makes."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from typing import Any

from certify.web import observability
from certify.web.observability import JsonLineFormatter, configure_logging, log_request, request_log


def _answered(request_id: str) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "GET",
        "path": "/api/applications/7",
        "headers": [(b"x-request-id", request_id.encode())],
        "client": ("192.0.2.7", 50000),
        "state": {"certify.status": 200, "certify.started": time.perf_counter()},
    }


def test_the_direct_line_is_the_records_line_and_a_listener_still_gets_records() -> None:
    configure_logging()
    (handler,) = observability._handlers
    certify_log = logging.getLogger("certify")
    kept = certify_log.handlers[:], certify_log.propagate, request_log.handlers[:]
    certify_log.handlers[:], certify_log.propagate, request_log.handlers[:] = [handler], False, []
    written = io.StringIO()
    earlier = handler.setStream(written)
    records: list[logging.LogRecord] = []
    listener = logging.Handler()
    listener.emit = records.append  # type: ignore[method-assign]
    try:
        log_request(_answered("direct"))
        assert observability._only_the_json_lines() is handler
        request_log.addHandler(listener)
        assert observability._only_the_json_lines() is None, "a listener gets records"
        log_request(_answered("record"))
    finally:
        handler.setStream(earlier)  # type: ignore[arg-type]
        certify_log.handlers[:], certify_log.propagate, request_log.handlers[:] = kept
    direct_line, record_line = written.getvalue().splitlines()
    direct, from_record = json.loads(direct_line), json.loads(record_line)
    assert [json.loads(JsonLineFormatter().format(r))["request_id"] for r in records] == ["record"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", direct["time"])
    for line in (direct, from_record):
        line.pop("time")
        line.pop("request_id")
        assert isinstance(line.pop("duration_ms"), float)
    assert direct == from_record
    assert list(direct) == ["level", "logger", "message", "method", "path", "status", "client"]
    assert direct["logger"] == "certify.requests" and direct["level"] == "info"
    assert direct["client"] == "192.0.2.7" and direct["status"] == 200
