"""The module manifest: everything a module adds, declared in one place."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


class ManifestError(Exception):
    """A module's manifest or layout breaks a rule; the message says what to fix.

    ``modules`` names the modules at fault, so a loader can refuse just those.
    """

    def __init__(self, message: str, modules: tuple[str, ...] = ()):
        super().__init__(message)
        self.modules = modules


@dataclass(frozen=True)
class MenuItem:
    """A navigation entry: shown when the module is installed and the user has ``permission``."""

    label: str
    endpoint: str
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class Job:
    """A scheduled job. ``func`` is ``"package.module:function"``; ``trigger`` is APScheduler's.

    Jobs must be idempotent: they scan the database for due work, so a missed or repeated run
    does no harm.
    """

    id: str
    func: str
    trigger: str = "cron"
    trigger_args: dict[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class PdfTemplate:
    """An official document template the module renders (``render_pdf(template, ...)``)."""

    name: str
    template: str
    title: str


@dataclass(frozen=True)
class Panel:
    """An HTML fragment a module adds to a slot on another page (e.g. its hearings on a matter).

    ``render`` is an import string (``"modules.x.panels:func"``) of a function called with the
    slot's context as keywords; it returns HTML (usually ``render_template(...)``) or ``None``
    for nothing. A panel shows only while its module is installed and, when ``permission`` is
    given, to users holding it. Slots: ``matter.page`` (``matter=``), ``reception.desk``,
    ``reception.session`` (``session=``).
    """

    slot: str
    render: str
    permission: str | None = None
    order: int = 50


@dataclass(frozen=True)
class RoleSpec:
    """A role the module brings (e.g. 听证主持人): created on install, dropped on purge.

    Its grants come from ``default_grants`` of every installed module naming its ``code``.
    """

    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Manifest:
    """A module's declaration (清单).

    ``name`` is the one name used everywhere: blueprint, Alembic branch label, permission
    prefix, table prefix, template folder and job-id prefix. ``blueprint``, ``models`` and
    ``seed`` are import strings (``"modules.x.blueprint:bp"``) so that reading a manifest stays
    cheap and imports happen in dependency order.
    """

    name: str
    title: str
    version: str
    summary: str = ""
    requires: tuple[str, ...] = ()
    permissions: dict[str, str] = field(default_factory=dict)
    menu: tuple[MenuItem, ...] = ()
    jobs: tuple[Job, ...] = ()
    pdf_templates: tuple[PdfTemplate, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    #: Role code → permissions granted when the module is first installed (never re-applied,
    #: so an administrator's later edits of the role matrix stand). The permissions are the
    #: module's own or core's.
    default_grants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Roles the module brings (created on install, dropped on purge).
    roles: tuple[RoleSpec, ...] = ()
    #: What the module adds to the matter's lifecycle (``core.api.Lifecycle``): states, steps,
    #: guards, clock kinds and pauses, documents, timeline entry kinds.
    lifecycle: Any = None
    #: Fragments the module adds to other pages (``Panel``).
    panels: tuple[Panel, ...] = ()
    #: Import string of ``func(user) -> agency ids``: agencies whose records ``user`` also sees
    #: while the module is installed (record rules; e.g. a lawyer on duty sees that hall's
    #: matters). Its own queries run without record rules; the answer is kept per request.
    record_grants: str | None = None
    blueprint: str | None = None
    models: str | None = None
    seed: str | None = None
    #: Import string of the module's demo loader, run by ``flask demo load`` after core's demo
    #: data while the module is installed (idempotent, no arguments).
    demo: str | None = None
    #: Import string of a function returning the module's OpenAPI ``paths`` (a dict), merged
    #: into ``/api/v1/openapi.json`` while the module is installed.
    openapi: str | None = None
    #: Hooks the module offers other modules: hook name (``"<consumer>.<what>"``, e.g.
    #: ``"evaluation.facts"``) → import string of a function. The consumer asks
    #: ``core.api.provided(name)`` for those of installed modules, so neither imports the other.
    provides: dict[str, str] = field(default_factory=dict)
    #: Set by discovery: the folder of the module's package.
    path: Path | None = None

    @property
    def migrations_path(self) -> Path | None:
        """Folder of the module's Alembic revisions, if it has tables."""
        if self.path is None:
            return None
        folder = self.path / "migrations"
        return folder if folder.is_dir() else None

    def check_declarations(self) -> None:
        """Check the naming rules that can be checked without importing anything else."""
        name = self.name
        problems: list[str] = []
        if not NAME_RE.match(name):
            problems.append(
                f"name {name!r} must be lower-case letters, digits and underscores, "
                "starting with a letter (2-31 characters)"
            )
        if name in self.requires:
            problems.append(f"module {name!r} requires itself")
        for perm in self.permissions:
            if not perm.startswith(f"{name}."):
                problems.append(f"permission {perm!r} must start with '{name}.'")
        for role in self.roles:
            if not NAME_RE.match(role.code):
                problems.append(f"role code {role.code!r} must look like a module name")
        for role, perms in self.default_grants.items():
            for perm in perms:
                if perm not in self.permissions and not perm.startswith("core."):
                    problems.append(
                        f"default grant {perm!r} for role {role!r} is not a "
                        "permission this module (or core) declares"
                    )
        for job in self.jobs:
            if not job.id.startswith(f"{name}."):
                problems.append(f"job id {job.id!r} must start with '{name}.'")
        for item in self.menu:
            if not item.endpoint.startswith(f"{name}."):
                problems.append(f"menu endpoint {item.endpoint!r} must start with '{name}.'")
            if (
                item.permission
                and item.permission not in self.permissions
                and item.permission.split(".")[0] == name
            ):
                problems.append(f"menu permission {item.permission!r} is not declared")
        if problems:
            raise ManifestError(f"module {name!r}: " + "; ".join(problems))


def resolve(ref: str) -> Any:
    """Import ``"package.module:attribute"`` and return the attribute."""
    import importlib

    module_name, _, attr = ref.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in filter(None, attr.split(".")):
        obj = getattr(obj, part)
    return obj


SeedFunction = Callable[[], None]
