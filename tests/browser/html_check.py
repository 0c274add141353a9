"""Every page the browser journeys load, checked by the Nu HTML checker (vnu.jar) at the end.

The test server records the raw body of each HTML document the browser navigates to (Chromium
marks those requests `Sec-Fetch-Dest: document`): what the server sent, not the DOM after scripts,
and no page is missed however quickly a test moves on. The browser session ends by running vnu
over the recorded pages; any error fails the run with the page's method, URL and status.
vnu.jar comes from npm `vnu-jar`, locked in tests/package-lock.json (`npm ci --prefix tests`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = PROJECT_ROOT / "tests" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INDEX = "pages.jsonl"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class DocumentRecorder:
    """ASGI middleware: saves each HTML document answer to a browser navigation in `folder`."""

    def __init__(self, app: ASGIApp, folder: Path) -> None:
        self.app = app
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        if headers.get(b"sec-fetch-dest") != b"document":
            await self.app(scope, receive, send)
            return
        status = 0
        is_html = False
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, is_html
            if message["type"] == "http.response.start":
                status = message["status"]
                content_type = dict(message.get("headers") or []).get(b"content-type", b"")
                is_html = content_type.startswith(b"text/html")
            elif message["type"] == "http.response.body" and is_html:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._save(scope, status, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _save(self, scope: Scope, status: int, body: bytes) -> None:
        self.count += 1
        name = f"{self.count:05d}.html"
        (self.folder / name).write_bytes(body)
        query = scope.get("query_string", b"").decode("latin-1")
        url = scope["path"] + (f"?{query}" if query else "")
        entry = {"file": name, "method": scope["method"], "url": url, "status": status}
        with (self.folder / INDEX).open("a", encoding="utf-8") as index:
            index.write(json.dumps(entry) + "\n")


@dataclass(frozen=True)
class Page:
    file: str
    method: str
    url: str
    status: int

    def __str__(self) -> str:
        return f"{self.method} {self.url} ({self.status})"


def recorded_pages(folder: Path) -> dict[str, Page]:
    """The recorded documents by file name, one file per distinct body."""
    index = folder / INDEX
    if not index.exists():
        return {}
    seen: set[str] = set()
    pages: dict[str, Page] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        page = Page(**json.loads(line))
        digest = hashlib.sha256((folder / page.file).read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            pages[page.file] = page
    return pages


def missing_tools() -> list[str]:
    """What the check needs and this machine lacks (with how to get it)."""
    missing = []
    if shutil.which("java") is None:
        missing.append("java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR} (npm ci --prefix tests)")
    return missing


def html_errors(folder: Path) -> list[str]:
    """vnu's errors on the recorded pages, each as 'METHOD URL (status): line N: message'."""
    pages = recorded_pages(folder)
    if not pages:
        return []
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *sorted(pages)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    # vnu writes its JSON report to standard error; exit status 1 means "errors found".
    if result.returncode not in (0, 1):
        raise RuntimeError(f"vnu failed ({result.returncode}): {result.stderr[-2000:]}")
    errors = []
    for message in json.loads(result.stderr)["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        page = pages.get(Path(unquote(message.get("url", ""))).name)
        where = str(page) if page else message.get("url", "?")
        line = message.get("lastLine", "?")
        errors.append(f"{where} [{page.file if page else ''}]: line {line}: {message['message']}")
    return errors
