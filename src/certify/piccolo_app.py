"""The Piccolo app: our tables and the top-level migrations/ folder."""

from __future__ import annotations

from piccolo.conf.apps import AppConfig

from certify.settings import MIGRATIONS_DIR
from certify.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="certify",
    migrations_folder_path=str(MIGRATIONS_DIR),
    table_classes=ALL_TABLES,
    migration_dependencies=[],
    commands=[],
)
