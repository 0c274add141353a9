"""How `certify serve` listens: what uvicorn's several-worker mode would otherwise get wrong."""

from __future__ import annotations

import asyncio
import socket

from certify.server import TcpConfig


async def test_connections_to_several_workers_send_answers_without_waiting_for_acks() -> None:
    """TCP_NODELAY on accepted connections: otherwise each answer written as head and body waits
    for the client's delayed ACK (40 ms a request)."""
    listening = TcpConfig("certify.app:asgi", factory=True, host="127.0.0.1", port=0, workers=2).bind_socket()
    nodelay: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Accepted(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            accepted = transport.get_extra_info("socket")
            nodelay.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    # A worker serves the inherited socket exactly so (uvicorn's Server.startup).
    server = await asyncio.get_running_loop().create_server(Accepted, sock=listening)
    try:
        host, port = listening.getsockname()[:2]
        _, writer = await asyncio.open_connection(host, port)
        assert await nodelay != 0
        writer.close()
    finally:
        server.close()
        await server.wait_closed()
