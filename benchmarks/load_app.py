"""The app under load, plus the two baselines served by the same process the same way.

`/bench/bare` answers a constant JSON object; `/bench/one-row` reads one row with Piccolo. The
load benchmark compares the case read against both, measured in the same run.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, get

from certify.app import create_app
from certify.tables import Kommun
from certify.web.guards import PUBLIC


@get("/bench/bare", opt=PUBLIC)
async def bare() -> dict[str, str]:
    return {"status": "ok"}


@get("/bench/one-row", opt=PUBLIC)
async def one_row() -> dict[str, Any]:
    row = await Kommun.select(Kommun.code, Kommun.name).first().run()
    return row or {}


def app() -> Litestar:
    application = create_app()
    application.register(bare)
    application.register(one_row)
    return application
