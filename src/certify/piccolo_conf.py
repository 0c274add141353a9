"""Piccolo's configuration module (PICCOLO_CONF=certify.piccolo_conf): the engine from the URL."""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from certify.database import engine_for
from certify.settings import database_from_env

DB = engine_for(database_from_env())

APP_REGISTRY = AppRegistry(apps=["certify.piccolo_app"])
