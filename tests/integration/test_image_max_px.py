"""CERTIFY_IMAGE_MAX_PX as configured (here 640): stored photos are no larger, whatever sent them."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from certify.settings import Settings, SettingsError
from tests.conftest import World
from tests.integration.pages import errors_in, submit
from tests.integration.scenario import Scenario, ok
from tests.integration.test_photo_normalisation import assert_no_metadata, camera_photo


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env({**os.environ, "CERTIFY_IMAGE_MAX_PX": "640"})


async def test_the_configured_longest_side_is_honoured(world: World) -> None:
    s = await Scenario.create(world)
    created = await ok(
        await s.owner.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": 3},
            files={"file": ("IMG_0042.jpg", camera_photo(), "image/jpeg")},
        ),
        201,
    )
    stored = (await s.owner.get(f"/api/evidence/{created['id']}")).content
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (480, 640)
        assert_no_metadata(image, stored)

    path = f"/arenden/{s.case_id}/egenkontroll/punkt/4"
    landscape = camera_photo(1000, 800, orientation=1)
    response = await submit(
        s.owner, path, path, {}, files=[("bevis-4", ("hylla.jpg", landscape, "image/jpeg"))]
    )
    assert response.status_code == 303, errors_in(response.text)
    listed = await ok(await s.owner.get(f"/api/applications/{s.case_id}/evidence"))
    from_form = (await s.owner.get(f"/api/evidence/{listed[-1]['id']}")).content
    assert Image.open(io.BytesIO(from_form)).size == (640, 512)


def test_the_setting_is_read_from_the_environment() -> None:
    base = {"CERTIFY_SECRET_KEY": "k" * 40, "CERTIFY_VAR_DIR": "/tmp"}
    assert Settings.from_env(base).image_max_px == 2048
    assert Settings.from_env({**base, "CERTIFY_IMAGE_MAX_PX": "1024"}).image_max_px == 1024
    with pytest.raises(SettingsError, match="CERTIFY_IMAGE_MAX_PX"):
        Settings.from_env({**base, "CERTIFY_IMAGE_MAX_PX": "stor"})
