"""Modules reach core only through ``core.api``, and their tests only through the test kit.

Every ``.py`` file under ``modules/`` (module code and module tests), of the sample modules and
of the add-on distribution the tests install is parsed, not imported, and each import statement
(at any depth: inside functions too) is checked: ``core`` only as ``core.api``; ``tests`` only
as the plugin (``tests.plugin``) and its kit (``tests.kit``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "modules"

ALLOWED = {"core": ("core.api",), "tests": ("tests.plugin", "tests.kit")}


def _allowed(name: str) -> bool:
    top = name.split(".", 1)[0]
    if top not in ALLOWED:
        return True
    return any(name == ok or name.startswith(ok + ".") for ok in ALLOWED[top])


def _package(path: Path, root: Path) -> list[str]:
    """The dotted package a file's relative imports start from."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1]


def _resolve(node: ast.ImportFrom, package: list[str]) -> str:
    """The absolute module a ``from … import`` names (relative ones resolved)."""
    if not node.level:
        return node.module or ""
    base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    if node.level - 1 > len(package):
        base = []
    return ".".join([*base, *([node.module] if node.module else [])])


def violations(source: str, path: Path, root: Path) -> list[str]:
    """``path:line: what`` for each forbidden import in ``source``."""
    rel = path.relative_to(root).as_posix()
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not _allowed(alias.name):
                    out.append((node.lineno, f"{rel}:{node.lineno}: import {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(node, _package(path, root))
            if _allowed(module):
                continue
            # ``from core import api`` / ``from tests import kit`` name an allowed module.
            bad = [a.name for a in node.names if not _allowed(f"{module}.{a.name}")]
            if module in ALLOWED and not bad:
                continue
            names = ", ".join(a.name for a in node.names)
            out.append((node.lineno, f"{rel}:{node.lineno}: from {module} import {names}"))
    return [text for _line, text in sorted(out)]


def test_modules_import_only_core_api_and_the_test_kit():
    files = sorted(MODULES.rglob("*.py"))
    assert files, "no module files found"
    found = [v for f in files for v in violations(f.read_text(encoding="utf-8"), f, ROOT)]
    assert not found, (
        "modules may import core only as core.api, and tests only as tests.plugin or "
        "tests.kit:\n" + "\n".join(found)
    )


def test_sample_modules_and_the_addon_import_only_core_api():
    # Modules of their own that the tests install: each package's relative imports resolve
    # inside it (root: the folder holding the packages), so only core and tests are checked.
    roots = [ROOT / "tests" / "sample_modules", *(ROOT / "tests" / "addon").iterdir()]
    found = [
        v
        for root in roots
        for f in sorted(root.rglob("*.py"))
        for v in violations(f.read_text(encoding="utf-8"), f, root)
    ]
    assert len([f for root in roots for f in root.rglob("module.py")]) >= 4
    assert not found, "sample modules may import core only as core.api:\n" + "\n".join(found)


def test_the_check_sees_every_form_of_import():
    root = Path("/repo")
    path = root / "modules" / "x" / "tests" / "test_y.py"
    source = """
import core.api
import core.db
from core.api import db
from core import api
from core import extensions
from core.cases.models import Matter
from tests.kit import register
from tests.kit.pages import post_form
from tests.plugin import csrf_token
from tests.cases_support import step
import tests.browser
from . import helpers
from ..models import Thing
from .....core import db as via_relative


def f():
    from core.audit import AuditEvent
    import tests
"""
    assert violations(source, path, root) == [
        "modules/x/tests/test_y.py:3: import core.db",
        "modules/x/tests/test_y.py:6: from core import extensions",
        "modules/x/tests/test_y.py:7: from core.cases.models import Matter",
        "modules/x/tests/test_y.py:11: from tests.cases_support import step",
        "modules/x/tests/test_y.py:12: import tests.browser",
        "modules/x/tests/test_y.py:15: from core import db",
        "modules/x/tests/test_y.py:19: from core.audit import AuditEvent",
        "modules/x/tests/test_y.py:20: import tests",
    ]
