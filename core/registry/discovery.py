"""Finding modules, ordering them by dependency, and checking that each keeps one name."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Iterable
from dataclasses import replace
from importlib.metadata import entry_points
from pathlib import Path

from flask import Blueprint

from core.db import Base
from core.registry.manifest import Manifest, ManifestError, resolve

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "minsheng.modules"

# Tables each module added to the shared metadata, remembered per process because a module's
# models are imported once even when several apps are created (tests, workers).
_owned_tables: dict[str, list[str]] = {}


def _manifest_from_package(package: str) -> Manifest:
    module = importlib.import_module(f"{package}.module")
    manifest = getattr(module, "manifest", None)
    if not isinstance(manifest, Manifest):
        raise ManifestError(f"{package}.module must define 'manifest = Manifest(...)'")
    return replace(manifest, path=Path(module.__file__).resolve().parent)


def discover(
    extra_packages: list[str] | tuple[str, ...] = (),
) -> tuple[list[Manifest], dict[str, str]]:
    """Find every module present: ``modules/*``, entry points, and ``extra_packages``.

    Returns the manifests found and, separately, packages refused with the reason.
    """
    found: list[Manifest] = []
    refused: dict[str, str] = {}
    packages: list[str] = []
    import modules as modules_pkg

    for info in pkgutil.iter_modules(modules_pkg.__path__):
        if info.ispkg:
            packages.append(f"modules.{info.name}")
    packages.extend(extra_packages)
    for package in packages:
        try:
            found.append(_manifest_from_package(package))
        except Exception as exc:  # any error in a module's code refuses that module only
            refused[package] = refusal_reason(package, exc)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
            manifest = obj if isinstance(obj, Manifest) else getattr(obj, "manifest", None)
            if not isinstance(manifest, Manifest):
                raise ManifestError(f"entry point {ep.value!r} does not name a Manifest")
            module = importlib.import_module(ep.module)
            found.append(replace(manifest, path=Path(module.__file__).resolve().parent))
        except Exception as exc:
            refused[ep.name] = refusal_reason(ep.value, exc)
    return found, refused


def refusal_reason(what: str, exc: Exception) -> str:
    """Log why a module is refused and return the reason (shown on the admin page).

    A broken rule says what to fix; a crash in the module's code is logged with its traceback.
    """
    if isinstance(exc, ManifestError):
        reason = str(exc)
        log.error("module %s refused: %s", what, reason)
    else:
        reason = f"{what}: {type(exc).__name__}: {exc}"
        log.error("module %s refused: %s", what, reason, exc_info=exc)
    return reason


def dependency_order(manifests: list[Manifest]) -> list[Manifest]:
    """Order manifests so that every module comes after the modules it requires.

    Raises ``ManifestError`` for a duplicate name, a missing requirement or a cycle (naming it).
    """
    by_name: dict[str, Manifest] = {}
    for m in manifests:
        if m.name in by_name:
            raise ManifestError(f"two modules are named {m.name!r}", (m.name,))
        by_name[m.name] = m
    ordered: list[Manifest] = []
    state: dict[str, str] = {}

    # ``trail`` holds the modules that led here (not ``name`` itself), so a cycle reads
    # "a → b → a" and a missing requirement names its requirer as ``trail[-1]``.
    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = [*trail[trail.index(name) :], name]
            raise ManifestError("dependency cycle: " + " → ".join(cycle), tuple(cycle))
        if name not in by_name:
            raise ManifestError(
                f"module {trail[-1]!r} requires {name!r}, which is not present", (trail[-1],)
            )
        state[name] = "visiting"
        for req in sorted(by_name[name].requires):
            if req == "core":
                continue
            visit(req, [*trail, name])
        state[name] = "done"
        ordered.append(by_name[name])

    for name in sorted(by_name):
        visit(name, [])
    return ordered


def load(
    manifest: Manifest, migration_locations: Iterable[Path] = ()
) -> tuple[Blueprint | None, list[str]]:
    """Import a module's models and blueprint and check its one-name rule.

    ``migration_locations`` are the migrations folders of modules already loaded, so that a
    revision may depend on a revision of a module it requires. Returns the blueprint and the
    module's tables. Raises ``ManifestError`` saying what to fix.
    """
    name = manifest.name
    manifest.check_declarations()
    if name not in _owned_tables:
        before = set(Base.metadata.tables)
        if manifest.models:
            importlib.import_module(manifest.models)
        _owned_tables[name] = sorted(set(Base.metadata.tables) - before)
    # What the import added is checked for the prefix; what the module owns is every table with
    # its prefix, because its models may have been imported earlier by something else (a test,
    # another module), in which case the import above added nothing. ``Registry.build`` leaves
    # a longer-named module's tables (``notebook_extra_*``) to that module.
    tables = sorted(
        set(_owned_tables[name]) | {t for t in Base.metadata.tables if t.startswith(f"{name}_")}
    )
    bad = [t for t in tables if not t.startswith(f"{name}_")]
    if bad:
        raise ManifestError(
            f"module {name!r}: table(s) {', '.join(bad)} must be prefixed '{name}_'"
        )
    if tables and manifest.migrations_path is None:
        raise ManifestError(f"module {name!r} has tables but no migrations/ folder")
    _check_folders(manifest)
    _check_branch(manifest, migration_locations)
    blueprint = None
    if manifest.blueprint:
        blueprint = resolve(manifest.blueprint)
        if not isinstance(blueprint, Blueprint) or blueprint.name != name:
            raise ManifestError(f"module {name!r}: blueprint must be a Blueprint named {name!r}")
    if manifest.lifecycle is not None:
        # Its steps, guards and clock pauses join core's, acting only while it is installed.
        from core.cases.lifecycle.module_steps import declare

        declare(name, manifest.lifecycle)
    return blueprint, tables


def _check_folders(manifest: Manifest) -> None:
    assert manifest.path is not None
    for folder in ("templates", "static"):
        root = manifest.path / folder
        if not root.is_dir():
            continue
        entries = [p.name for p in root.iterdir() if not p.name.startswith(".")]
        if entries != [manifest.name]:
            raise ManifestError(
                f"module {manifest.name!r}: {folder}/ must hold exactly one folder named "
                f"{manifest.name!r} (found: {', '.join(sorted(entries)) or 'nothing'})"
            )


def _check_branch(manifest: Manifest, others: Iterable[Path]) -> None:
    from core.registry.migrations import branch_bases

    if manifest.migrations_path is None:
        return
    try:
        labels = branch_bases(manifest.migrations_path, others)
    except Exception as exc:  # Alembic cannot resolve the revisions (KeyError, CommandError…)
        raise ManifestError(
            f"module {manifest.name!r}: its migrations refer to a revision found neither in "
            f"core nor in the modules it requires ({type(exc).__name__}: {exc})"
        ) from exc
    if not labels:
        raise ManifestError(f"module {manifest.name!r}: migrations/ holds no revision")
    wrong = [rev for rev, lab in labels.items() if manifest.name not in lab]
    if wrong:
        raise ManifestError(
            f"module {manifest.name!r}: base revision(s) {', '.join(wrong)} must carry "
            f"branch_labels = ({manifest.name!r},)"
        )
