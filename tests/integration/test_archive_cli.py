"""`certify archive export` from a shell: the demo's closed cases become one package each, named
by diarienummer (the registration of each delivery is tests/integration/test_archive.py's)."""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from certify.cli import main


def test_the_command_writes_one_registered_package_per_closed_case(tmp_path: Path) -> None:
    """Synchronous on purpose: the commands run their own event loop, as from a shell."""
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "sv_SE.UTF-8"})
    assert runner.invoke(main, ["demo"]).exit_code == 0
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    out = tmp_path / "arkiv"
    result = runner.invoke(main, ["archive", "export", "--closed-before", tomorrow, "--out", str(out)])
    assert result.exit_code == 0, result.output
    packages = sorted(out.glob("*.zip"))
    assert packages, "the demo has closed cases with a diarienummer"
    assert result.output.strip().splitlines()[-1] == (
        f"certify: {len(packages)} arkivpaket skriv{'et' if len(packages) == 1 else 'na'} till {out}"
    )
    for package in packages:
        with zipfile.ZipFile(package) as sip:
            names = sip.namelist()
            assert sip.testzip() is None
        root = package.stem
        assert f"{root}/METS.xml" in names and f"{root}/metadata/preservation/premis.xml" in names
        assert any(name.startswith(f"{root}/representations/") for name in names)

    none = runner.invoke(main, ["archive", "export", "--closed-before", "1999-01-01", "--out", str(out)])
    assert none.exit_code == 0 and none.output.strip().endswith(f"0 arkivpaket skrivna till {out}")
