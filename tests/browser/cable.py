"""A network cable the test can pull: a TCP relay in front of the test server.

Playwright's `context.set_offline(True)` tells the page it is offline, but a service worker's own
requests still reach the network (microsoft/playwright#2311). Behind this relay, pulling the cable
closes every open connection and every new one at once, for the page and its service worker alike,
as a basement without reception would. It also counts what goes through it
(benchmarks/inspector_page.py measures the page's transfer with it).
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from urllib.parse import urlsplit

_REQUEST = re.compile(rb"(GET|HEAD|POST|PUT|DELETE|PATCH) /")


class Cable:
    def __init__(self, server_url: str) -> None:
        self._upstream = (urlsplit(server_url).hostname or "127.0.0.1", urlsplit(server_url).port or 80)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._plugged = True
        self._open: set[socket.socket] = set()
        self.requests: list[str] = []  # "GET /path" of every request that went through
        self.received = 0  # bytes the server sent back
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def pull(self) -> None:
        """No network from now on: open connections are cut, new ones closed at once."""
        with self._lock:
            self._plugged = False
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self._open.clear()

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.received = 0

    def plug(self) -> None:
        with self._lock:
            self._plugged = True

    def close(self) -> None:
        self.pull()
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                plugged = self._plugged
            if not plugged:
                client.close()
                continue
            try:
                server = socket.create_connection(self._upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, server))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, asking: bool) -> None:
        try:
            while chunk := source.recv(65536):
                with self._lock:
                    if not asking:
                        self.received += len(chunk)
                    elif _REQUEST.match(chunk):
                        self.requests.append(b" ".join(chunk.split(b" ", 2)[:2]).decode("latin-1"))
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
            with self._lock:
                self._open.discard(source)
                self._open.discard(target)
            source.close()
