"""Running the service under uvicorn, as one process or several."""

from __future__ import annotations

import socket
import sys

import uvicorn
from uvicorn.supervisors import Multiprocess

STARTUP_FAILURE = 3  # uvicorn's own exit status when the app cannot start


class TcpConfig(uvicorn.Config):
    """uvicorn's settings, with the listening socket of several workers marked as TCP.

    For several workers uvicorn binds the socket itself with protocol number 0, and asyncio sets
    TCP_NODELAY only on connections whose socket says IPPROTO_TCP. Without it an answer written in
    two parts (head, then body) waits for the client's delayed ACK: 40 ms on every request
    (benchmarks/load.py --workers 2). Same socket, same descriptor, only marked for what it is.
    """

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        if bound.family not in (socket.AF_INET, socket.AF_INET6):
            return bound
        return socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())


def run(
    app: str, host: str, port: int, workers: int, *, log_level: str = "info", access_log: bool = True
) -> None:
    """Serve `app` (an import string naming an app factory) until SIGINT or SIGTERM."""
    config = TcpConfig(
        app,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # httptools parses HTTP in C; the plain asyncio loop, because uvloop's p99 under 50 clients
        # was 7x worse here (benchmarks/load.py).
        http="httptools",
        loop="asyncio",
        log_level=log_level,
        access_log=access_log,
        timeout_graceful_shutdown=20,
        # The app decides which peers may name the client (CERTIFY_TRUSTED_PROXIES,
        # web/client_address.py); uvicorn's own rewrite trusts X-Forwarded-For from 127.0.0.1,
        # so anyone behind a local proxy that passes the header on could choose their address.
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    try:
        if workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        else:
            server.run()
    except KeyboardInterrupt:
        pass
    if workers == 1 and not server.started:
        sys.exit(STARTUP_FAILURE)
