"""The app under load, plus the two baselines served by the same process the same way.

`/bench/bare` answers a constant JSON object; `/bench/one-row` reads one row with Piccolo. The
load benchmark compares the case read against both, measured in the same run. `/api/bench/signed-in`
answers a constant to a logged-in caller: the cost of the session check and the rest of the stack
(benchmarks/session_cost.py).
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, get

from certify.app import create_app
from certify.tables import Kommun
from certify.web.guards import ANY_USER, PUBLIC


@get("/bench/bare", opt=PUBLIC)
async def bare() -> dict[str, str]:
    return {"status": "ok"}


@get("/bench/one-row", opt=PUBLIC)
async def one_row() -> dict[str, Any]:
    row = await Kommun.select(Kommun.code, Kommun.name).first().run()
    return row or {}


@get("/api/bench/signed-in", opt=ANY_USER)
async def signed_in() -> dict[str, str]:
    return {"status": "ok"}


def app() -> Litestar:
    application = create_app()
    application.register(bare)
    application.register(one_row)
    application.register(signed_in)
    return application
