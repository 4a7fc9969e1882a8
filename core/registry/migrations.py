"""Alembic plumbing: one environment, one branch per module (branch label = module name)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

CORE_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(locations: Iterable[Path], engine: Engine | None = None) -> Config:
    """An Alembic config over core's revisions plus the given module folders."""
    cfg = Config()
    cfg.set_main_option("script_location", str(CORE_MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    paths = [str(CORE_MIGRATIONS / "versions"), *(str(p) for p in locations)]
    cfg.set_main_option("version_locations", os.pathsep.join(dict.fromkeys(paths)))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def branch_bases(folder: Path, others: Iterable[Path] = ()) -> dict[str, tuple[str, ...]]:
    """Map each base revision found in ``folder`` to its branch labels.

    ``others`` are folders its revisions may depend on (those of the modules it requires).
    """
    script = ScriptDirectory.from_config(alembic_config([*others, folder]))
    bases: dict[str, tuple[str, ...]] = {}
    for rev in script.walk_revisions():
        if Path(rev.path).resolve().parent == folder.resolve() and rev.down_revision is None:
            bases[rev.revision] = tuple(rev.branch_labels or ())
    return bases


def upgrade_branch(engine: Engine, locations: Iterable[Path], branch: str) -> None:
    """Run a branch's revisions up to its head (a no-op when already there)."""
    command.upgrade(alembic_config(locations, engine), f"{branch}@head")


def downgrade_branch(engine: Engine, locations: Iterable[Path], branch: str) -> None:
    """Run a branch's downgrades to before its first revision: its tables are dropped."""
    command.downgrade(alembic_config(locations, engine), f"{branch}@base")


def current_heads(engine: Engine, locations: Iterable[Path]) -> set[str]:
    """Revisions currently applied in the database (one per branch)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())
