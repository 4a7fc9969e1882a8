"""The English interface: language switch, translated menus, and a complete, compiled catalog.

The catalog tests need no database. Core and every module keep their own catalog
(``core/translations``, ``modules/<name>/translations``). When a test fails, run
scripts/translations.sh, translate the entries it reports as untranslated in the named
en/LC_MESSAGES/messages.po, run it again and commit the .po, .pot and .mo.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from tests.plugin import csrf_token, login

ROOT = Path(__file__).resolve().parent.parent
FIX = "run scripts/translations.sh, translate, run it again and commit"
CJK = re.compile(r"[\u4e00-\u9fff]")
#: The folders that keep a catalog: core and each shipped module.
MODULES = sorted(d.name for d in (ROOT / "modules").iterdir() if (d / "module.py").is_file())
CATALOGS = ["core", *(f"modules/{name}" for name in MODULES)]


def _po_path(folder: str) -> Path:
    return ROOT / folder / "translations/en/LC_MESSAGES/messages.po"


def _po(folder: str = "core"):
    with _po_path(folder).open("rb") as f:
        return read_po(f, locale="en")


def _entries(catalog) -> dict[tuple[str | None, object], object]:
    return {(m.context, m.id): m.string for m in catalog if m.id}


def _switch_to_english(client, page: str = "/login"):
    token = csrf_token(client, page)
    resp = client.post("/lang/en", data={"csrf_token": token, "next": page})
    assert resp.status_code == 302


def _nav(html: str) -> str:
    m = re.search(r'<nav class="menu"[^>]*>(.*?)</nav>', html, re.S)
    assert m, "no main menu on the page"
    return m.group(1)


def test_login_page_is_chinese_by_default_and_english_on_request(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "<h1>登录</h1>" in html
    assert "English" in html  # the switch offers the other language

    _switch_to_english(client)
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Log in with your organisation account" in html
    assert "登录" not in html
    assert "中文" in html  # and the way back

    token = csrf_token(client)
    client.post("/lang/zh_CN", data={"csrf_token": token})
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)


def test_admin_navigation_in_english(client):
    _switch_to_english(client)
    assert login(client, "admin").status_code == 302  # the choice survives the login
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    nav = _nav(html)
    for label in (
        "Work queue",
        "Deadline reminders",
        "Modules",
        "Users",
        "Roles and permissions",
        "Agencies",
        "Holiday calendar",
        "Audit log",
    ):
        assert f">{label}</a>" in nav, label
    from core.manifest import manifest

    for item in manifest.menu:
        assert f">{item.label}</a>" not in nav, item.label
    assert "Log out" in html
    assert "Hello, 管理员" in html  # names stay as they are


def test_module_labels_come_from_the_modules_own_catalog(app):
    """The app merges each module's catalog after core's: a module's menu item in English."""
    from flask_babel import force_locale, gettext

    with app.test_request_context("/"), force_locale("en"):
        assert gettext("登记台") == "Registration desk"
        assert gettext("登记") == "Register"  # core's own


def test_admin_navigation_chinese_by_default(as_user):
    nav = _nav(as_user("admin").get("/").get_data(as_text=True))
    assert ">模块管理</a>" in nav
    assert ">审计日志</a>" in nav
    assert not re.search(r">[A-Za-z ]+</a>", nav)


@pytest.mark.parametrize("folder", CATALOGS)
def test_every_message_is_translated(folder):
    catalog = _po(folder)
    assert catalog.locale_identifier == "en"
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"untranslated or fuzzy entries ({FIX}): {untranslated}"
    assert not list(catalog.obsolete), f"obsolete entries left in the .po ({FIX})"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, f"placeholders differ between msgid and msgstr: {problems}"
    for m in catalog:
        if m.id:
            ids = sorted(re.findall(r"%\(\w+\)s", m.id))
            assert ids == sorted(re.findall(r"%\(\w+\)s", m.string)), m.id
            assert not CJK.search(m.string), f"Chinese left in the translation of {m.id!r}"


@pytest.mark.parametrize("folder", CATALOGS)
def test_compiled_catalog_matches_the_po(folder):
    catalog = _po(folder)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    with _po_path(folder).with_suffix(".mo").open("rb") as f:
        committed = read_mo(f)
    expected = _entries(read_mo(compiled))
    assert _entries(committed) == expected, f"messages.mo is out of date with messages.po ({FIX})"


@pytest.mark.parametrize("folder", CATALOGS)
def test_every_marked_string_is_in_the_catalog(folder):
    """What the extractor finds in the folder's sources (babel.cfg) has an entry in its .po."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None, "N_": None}
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT / folder, method_map, options_map, keywords=keywords
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.add((context, msgid))
    assert found, "the extractor found nothing: check babel.cfg"
    missing = sorted(f"{c}|{i}" if c else i for c, i in found - set(_entries(_po(folder))))
    assert not missing, f"strings not in the English catalog ({FIX}): {missing}"


def test_labels_translated_at_render_time_are_in_the_catalog():
    """Menu items, module titles and other labels the templates pass through ``_()``.

    They are data, not literals in templates, so core/web/i18n_labels.py repeats them for the
    extractor; this catches a label added in code but not there.
    """
    from core.cases.lifecycle import table as lifecycle
    from core.cases.records import rating
    from core.cases.web import queue
    from core.cases.web.reading import party_role
    from core.manifest import manifest as core_manifest
    from core.registry.discovery import discover
    from core.web import errors

    manifests = [core_manifest]
    manifests += [m for m in discover()[0] if m.path and ROOT / "modules" in m.path.parents]
    labels = {m.title for m in manifests}
    labels |= {item.label for m in manifests for item in m.menu}
    labels |= set(queue.TABS.values())
    # Core's steps and those the shipped modules declare (not the test modules' steps, which
    # join the same table when a test builds an app with them).
    labels |= {t.label for t in lifecycle.TRANSITIONS.values() if t.module == "core"}
    labels |= {t.label for m in manifests if m.lifecycle for t in m.lifecycle.transitions}
    labels |= set(rating.TARGETS.values()) | set(rating.STATUS_LABELS.values())
    labels |= {
        party_role(SimpleNamespace(is_lead=lead, is_representative=rep))
        for lead in (True, False)
        for rep in (True, False)
    }
    labels |= set(errors.MESSAGES.values())
    # The data labels of a matter and its steps, and core's roles.
    from core import seed
    from core.cases.clocks.clocks import CLOCK_KINDS
    from core.cases.lifecycle import opinions, triage
    from core.cases.models import matter
    from core.cases.web.reading import CLOCK_STATES

    labels |= set(lifecycle.STATES.values())
    labels |= {d.title for d in lifecycle.DOCUMENTS.values() if d.template.startswith("core/")}
    for names in (matter.CHANNELS, matter.PURPOSES, matter.HANDLING_TYPES, matter.FLAGS):
        labels |= set(names.values())
    labels |= {k.label for k in CLOCK_KINDS.values()} | {k.article for k in CLOCK_KINDS.values()}
    for names in (opinions.OUTCOMES, opinions.DELIVERY_METHODS, triage.LEGAL_ROUTES):
        labels |= set(names.values())
    labels |= set(triage.NON_ACCEPTANCE_GROUNDS.values())
    labels |= set(rating.VALUES.values()) | set(rating.METHODS.values())
    labels |= {name for _code, name, _description in seed.ROLES}
    entries = [_entries(_po(folder)) for folder in CATALOGS]
    translated = {i for found in entries for (c, i), s in found.items() if c is None and s}
    missing = sorted(labels - translated)
    # Shown with a msgctxt: another module's catalog gives the plain text another sense.
    in_context = {(c, i) for found in entries for (c, i), s in found.items() if c and s}
    missing += sorted(
        f"{context}|{label}"
        for context, names in (
            ("clock", CLOCK_STATES.values()),
            ("petitioner view", opinions.PETITIONER_VIEWS.values()),
        )
        for label in names
        if (context, label) not in in_context
    )
    where = "core/web/i18n_labels.py or the module's i18n_labels.py"
    assert not missing, f"add these to {where} ({FIX}): {missing}"
