"""The inspector's inspection page on a phone: what a repeat visit transfers, and how fast the page
opens from the phone's copy without a connection (issue 16).

    .venv/bin/python benchmarks/inspector_page.py [--rounds 7]

Starts the browser tests' server (tests/browser/server.py) on a temporary SQLite file, books one
case with a photo for its inspector, and drives Debian's Chromium (/usr/bin/chromium) through a
relay that counts bytes and requests (tests/browser/cable.py) and can be unplugged. Two runs:

- baseline: the page as it was before the app, service workers blocked (HTTP cache only);
- app: the service worker on, the day kept on the phone from "Mina besiktningar".

Transfer of a repeat visit: the requests that reached the server, photos aside (/api/evidence/…);
each response's body compressed with gzip -6 as a proxy in front would send it (this server does not
compress), and the bytes that went through the relay uncompressed. Goal ≤ 60 KB.

Open time, CPU throttled ×4 (CDP Emulation.setCPUThrottlingRate): the load event of the page,
median of the rounds; the baseline online from the server, the app offline (relay unplugged and
the browser offline) from the phone's copy. Goal ≤ 1 s.

Lighthouse: run when `tests/node_modules/.bin/lighthouse` (npm lighthouse 12.8.2) is installed;
otherwise the output says that there is no score, rather than making one up.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.cable import Cable  # noqa: E402
from tests.browser.server import INSPECTOR_EMAIL, KOMMUN_EMAIL, STAFF_PASSWORD  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
LIGHTHOUSE = ROOT / "tests" / "node_modules" / ".bin" / "lighthouse"
PHONE = {"width": 360, "height": 740}
GOAL_BYTES = 60 * 1024
GOAL_SECONDS = 1.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(tmp: Path) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CERTIFY_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "CERTIFY_BASE_URL": url,
        "CERTIFY_VAR_DIR": str(tmp / "var"),
    }
    env.pop("CERTIFY_TEST_HTML_DIR", None)
    process = subprocess.Popen([sys.executable, "-m", "tests.browser.server", str(port)], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _photo() -> bytes:
    from PIL import Image

    buffer = __import__("io").BytesIO()
    Image.new("RGB", (1600, 1200), (90, 110, 70)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def book_a_case(url: str) -> int:
    """An owner applies (13 points answered, a photo on point 9); the kommun books the inspector."""
    from certify.domain.org_number import with_check_digit

    owner = httpx.Client(base_url=url)
    account = {"email": "bench.agare@example.se", "password": "ägarens långa lösenord", "name": "Bänk Ägare"}
    owner.post("/api/auth/register", json=account).raise_for_status()
    owner.post("/api/auth/login", json={k: account[k] for k in ("email", "password")}).raise_for_status()
    shop = owner.post(
        "/api/businesses",
        json={
            "name": "Bänkens Livs",
            "org_number": with_check_digit("556765432"),
            "street_address": "Mätargatan 1",
            "postal_code": "784 33",
            "city": "Borlänge",
        },
    )
    shop.raise_for_status()
    case = owner.post(f"/api/businesses/{shop.json()['id']}/applications")
    case.raise_for_status()
    case_id = int(case.json()["id"])
    for point in range(1, 14):
        owner.put(
            f"/api/applications/{case_id}/answers/{point}", json={"status": "fulfilled"}
        ).raise_for_status()
    owner.post(
        f"/api/applications/{case_id}/evidence",
        params={"point": 9},
        files={"file": ("kamera.jpg", _photo(), "image/jpeg")},
    ).raise_for_status()
    owner.post(f"/api/applications/{case_id}/submit").raise_for_status()
    kommun = httpx.Client(base_url=url)
    kommun.post(
        "/api/auth/login", json={"email": KOMMUN_EMAIL, "password": STAFF_PASSWORD}
    ).raise_for_status()
    [inspector] = kommun.get("/api/users", params={"role": "inspector"}).json()
    visit = (datetime.now() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    kommun.post(
        f"/api/applications/{case_id}/assign",
        json={"inspector_id": inspector["id"], "visit_at": visit.isoformat()},
    ).raise_for_status()
    return case_id


def log_in(page: Any) -> None:
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(INSPECTOR_EMAIL)
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/besiktningar")


def compressed(url: str, paths: list[str]) -> tuple[int, list[str]]:
    """The gzip -6 size of each page, style sheet and script fetched (photos aside), fetched again
    as the inspector."""
    client = httpx.Client(base_url=url)
    client.post(
        "/api/auth/login", json={"email": INSPECTOR_EMAIL, "password": STAFF_PASSWORD}
    ).raise_for_status()
    total, lines = 0, []
    for path in paths:
        if path.startswith("/api/evidence/"):
            continue
        body = client.get(path).content
        size = len(gzip.compress(body, 6))
        total += size
        lines.append(f"      {path}: {len(body)} B, {size} B compressed")
    return total, lines


def open_time(page: Any, path: str, rounds: int) -> float:
    """Median seconds to the load event, CPU throttled ×4."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    times = []
    for _ in range(rounds):
        page.goto(path, wait_until="load")
        times.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    return statistics.median(times)


def repeat_visit(page: Any, cable: Cable, path: str) -> tuple[int, list[str]]:
    page.goto(path, wait_until="networkidle")
    time.sleep(0.5)
    cable.reset_counts()
    page.goto(path, wait_until="networkidle")
    time.sleep(0.5)  # the service worker's background refreshes, if any, count too
    return cable.received, [line.split(" ", 1)[1] for line in cable.requests]


def lighthouse(url: str, path: str) -> str:
    """The Lighthouse performance score of the page on its mobile preset (a cold load, as Lighthouse
    measures), logged in as the inspector through a Cookie header."""
    tool = Path(os.environ.get("LIGHTHOUSE", str(LIGHTHOUSE)))
    if not tool.exists():
        return f"Lighthouse: not installed ({tool} is missing: npm ci --prefix tests); no score measured."
    client = httpx.Client(base_url=url)
    client.post(
        "/api/auth/login", json={"email": INSPECTOR_EMAIL, "password": STAFF_PASSWORD}
    ).raise_for_status()
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    with tempfile.NamedTemporaryFile("w", suffix=".json") as headers:
        json.dump({"Cookie": cookie}, headers)
        headers.flush()
        run = subprocess.run(
            [
                str(tool),
                url + path,
                f"--chrome-path={CHROMIUM}",
                "--chrome-flags=--headless --no-sandbox",
                "--only-categories=performance",
                "--output=json",
                "--output-path=stdout",
                f"--extra-headers={headers.name}",
                "--quiet",
            ],
            capture_output=True,
            timeout=300,
        )
    if run.returncode != 0:
        return (
            f"Lighthouse: failed ({run.stderr.decode(errors='replace').strip()[-300:]}); no score measured."
        )
    report = json.loads(run.stdout)
    score = report["categories"]["performance"]["score"]
    shown = report.get("finalDisplayedUrl", "")
    if not shown.endswith(path):
        return f"Lighthouse: scored {shown}, not the inspection page; no score for it."
    verdict = "met" if score is not None and score >= 0.95 else "NOT met"
    version = report["lighthouseVersion"]
    return f"Lighthouse {version} performance, mobile preset: {round(score * 100)} (goal ≥ 95: {verdict})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, server(Path(tmp)) as url:
        case_id = book_a_case(url)
        path = f"/besiktningar/{case_id}"
        cable = Cable(url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
            options: dict[str, Any] = {
                "base_url": cable.url,
                "viewport": PHONE,
                "locale": "sv-SE",
                "has_touch": True,
            }

            before = browser.new_context(service_workers="block", **options)
            page = before.new_page()
            log_in(page)
            wire_before, fetched_before = repeat_visit(page, cable, path)
            online_open = open_time(page, path, args.rounds)
            before.close()

            app = browser.new_context(**options)
            page = app.new_page()
            log_in(page)
            page.locator("[data-offline-line]").get_by_text("Sparad för användning utan nät").wait_for()
            page.wait_for_function("navigator.serviceWorker.controller !== null")
            wire_app, fetched_app = repeat_visit(page, cable, path)
            cable.pull()
            app.set_offline(True)
            offline_open = open_time(page, path, args.rounds)
            app.close()
            browser.close()
        cable.close()
        packed_before, lines_before = compressed(url, fetched_before)
        packed_app, lines_app = compressed(url, fetched_app)
        scored = lighthouse(url, path)

    print("The inspector's page, repeat visit on a 360×740 phone (photos aside)")
    print(
        f"  baseline (HTTP cache only): {packed_before / 1024:.1f} KB compressed, {wire_before} B on the wire"
    )
    print("\n".join(lines_before))
    print(f"  app (service worker):       {packed_app / 1024:.1f} KB compressed, {wire_app} B on the wire")
    print("\n".join(lines_app))
    verdict = "met" if packed_app <= GOAL_BYTES else "NOT met"
    print(f"  ratio app/baseline {packed_app / max(packed_before, 1):.2f}; goal ≤ 60 KB: {verdict}")
    print(f"Open time, CPU ×4, median of {args.rounds}")
    print(f"  baseline online from the server: {online_open * 1000:.0f} ms")
    print(f"  app offline from the phone's copy: {offline_open * 1000:.0f} ms")
    verdict = "met" if offline_open <= GOAL_SECONDS else "NOT met"
    print(f"  ratio offline/online {offline_open / online_open:.2f}; goal ≤ 1 s: {verdict}")
    print(scored)


if __name__ == "__main__":
    main()
