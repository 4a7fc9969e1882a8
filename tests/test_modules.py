"""The module platform (issue 2): discovery, the one-name rule, install state, purge, CLI, jobs.

Tests that take ``app`` run on SQLite and on PostgreSQL. Modules that break a rule are written
to a temporary folder by ``module_factory``, each with a unique name and table, so the per-process
caches of discovery (``_owned_tables``) and the shared ``Base.metadata`` never see a name twice.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import textwrap
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import delete, inspect, select

from core.audit import AuditEvent
from core.db import Base
from core.extensions import db
from core.registry import discovery
from core.registry.installer import InstallError, install, purge, uninstall
from core.registry.manifest import Manifest, ManifestError
from core.registry.models import ModuleState
from tests.plugin import SAMPLE_MODULES, csrf_token, login, make_app

ADDON_SOURCE = Path(__file__).parent / "addon" / "minsheng-addon-almanac"


def registry_of(app):
    return app.extensions["minsheng.registry"]


def table_names(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def note_titles(app) -> list[str]:
    from tests.sample_modules.notebook.models import Note

    with app.app_context():
        return list(db.session.execute(select(Note.title).order_by(Note.id)).scalars())


def add_note(app, title: str) -> None:
    from core.accounts.models import Agency
    from tests.sample_modules.notebook.services import create_note

    with app.app_context():
        agency = db.session.execute(select(Agency).where(Agency.code == "CJJ")).scalar_one()
        create_note(agency.id, title, person="李四", phone="13800138000")


def audit_events(app, prefix: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)
        ).scalars()
        events = list(rows)
        db.session.expunge_all()
        return events


@pytest.fixture
def same_db_app(app, tmp_path):
    """``make(**config)`` → another app instance on the database of ``app`` (another worker)."""
    made = []

    def make(**config):
        other = make_app(
            app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / f"var-{len(made)}", **config
        )
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def offline_app(tmp_path: Path, *extra: str):
    """An app that never touches its database: enough to look at the registry."""
    return make_app(
        f"sqlite:///{tmp_path / 'unused.db'}",
        tmp_path / "var",
        MINSHENG_EXTRA_MODULES=(*SAMPLE_MODULES, *extra),
    )


# --- a factory of generated modules ---------------------------------------------------------


def unique_name(prefix: str = "gen") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def write_module(
    root: Path,
    name: str,
    *,
    requires: tuple[str, ...] = (),
    permissions: dict[str, str] | None = None,
    table: str | None = None,
    blueprint_name: str | None = None,
    template_folder: str | None = None,
    branch_label: str | None = "<name>",
    job_id: str | None = None,
    depends_on: str = "core_0001",
    broken_import: bool = False,
) -> str:
    """Write a module package named ``name`` under ``root``; by default it keeps every rule."""
    pkg = root / name
    (pkg / "migrations").mkdir(parents=True)
    (pkg / "templates" / (template_folder or name)).mkdir(parents=True)
    table = table or f"{name}_item"
    permissions = permissions if permissions is not None else {f"{name}.view": "查看"}
    label = (name,) if branch_label == "<name>" else ((branch_label,) if branch_label else None)
    files = {
        "__init__.py": '"""A generated test module."""\n',
        "module.py": f"""
            from core.api import Job, Manifest

            {"import a_package_that_does_not_exist  # noqa" if broken_import else ""}

            manifest = Manifest(
                name={name!r},
                title="生成的测试模块",
                version="1.0.0",
                requires={requires!r},
                permissions={permissions!r},
                jobs=(Job({job_id or name + ".tick"!r}, "{name}.jobs:tick", "interval"),),
                blueprint="{name}.blueprint:bp",
                models="{name}.models",
            )
        """,
        "models.py": f"""
            from sqlalchemy.orm import Mapped, mapped_column

            from core.api import Base


            class Item(Base):
                __tablename__ = {table!r}

                id: Mapped[int] = mapped_column(primary_key=True)
        """,
        "blueprint.py": f"""
            from flask import Blueprint

            bp = Blueprint({blueprint_name or name!r}, __name__, template_folder="templates")


            @bp.route("/{name}/")
            def index():
                return "generated module page"
        """,
        "jobs.py": """
            def tick():
                pass
        """,
        f"templates/{template_folder or name}/page.html": "<p>page</p>\n",
        f"migrations/{name}_0001.py": f'''
            """{name}: items

            Revision ID: {name}_0001
            Revises:
            """

            import sqlalchemy as sa
            from alembic import op

            revision = "{name}_0001"
            down_revision = None
            branch_labels = {label!r}
            depends_on = {depends_on!r}


            def upgrade():
                op.create_table({table!r}, sa.Column("id", sa.Integer(), primary_key=True))


            def downgrade():
                op.drop_table({table!r})
        ''',
    }
    for rel, text in files.items():
        (pkg / rel).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return name


@pytest.fixture
def module_factory(tmp_path, monkeypatch):
    """``make(**options)`` → the import name of a new module package (see ``write_module``)."""
    root = tmp_path / "generated"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    made: list[str] = []

    def make(name: str | None = None, **options) -> str:
        name = name or unique_name()
        made.append(write_module(root, name, **options))
        importlib.invalidate_caches()
        return name

    yield make
    # Generated tables must not linger in the shared metadata (a migration drift check would
    # otherwise see tables that no migration creates).
    for name in made:
        for table in discovery._owned_tables.pop(name, []):
            if table in Base.metadata.tables:
                Base.metadata.remove(Base.metadata.tables[table])
        for mod in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[mod]


def manifest_of(package: str) -> Manifest:
    found, refused = discovery.discover((package,))
    assert package not in refused, refused
    return next(m for m in found if m.path is not None and m.path.name == package)


# --- dependency order and cycles -------------------------------------------------------------


def test_dependency_order_puts_requirements_first():
    a = Manifest("mod_a", "A", "1", requires=("mod_b", "mod_c"))
    b = Manifest("mod_b", "B", "1", requires=("core", "mod_c"))
    c = Manifest("mod_c", "C", "1")
    d = Manifest("mod_d", "D", "1")
    names = [m.name for m in discovery.dependency_order([a, d, b, c])]
    assert sorted(names) == ["mod_a", "mod_b", "mod_c", "mod_d"]
    assert names.index("mod_c") < names.index("mod_b") < names.index("mod_a")


def test_sample_modules_load_in_dependency_order(tmp_path):
    names = list(registry_of(offline_app(tmp_path)).manifests)
    assert names[0] == "core"
    assert names.index("notebook") < names.index("notebook_extra")


def test_dependency_cycle_is_refused_naming_the_cycle():
    a = Manifest("cyc_a", "A", "1", requires=("cyc_b",))
    b = Manifest("cyc_b", "B", "1", requires=("cyc_c",))
    c = Manifest("cyc_c", "C", "1", requires=("cyc_a",))
    outside = Manifest("cyc_user", "U", "1", requires=("cyc_a",))
    with pytest.raises(ManifestError) as exc:
        discovery.dependency_order([outside, c, b, a])
    assert str(exc.value) == "dependency cycle: cyc_a → cyc_b → cyc_c → cyc_a"
    assert set(exc.value.modules) == {"cyc_a", "cyc_b", "cyc_c"}

    with pytest.raises(ManifestError, match=r"^dependency cycle: cyc_a → cyc_b → cyc_a$"):
        discovery.dependency_order([a, replace(b, requires=("cyc_a",))])


def test_missing_requirement_names_both_modules():
    with pytest.raises(ManifestError, match="'needy' requires 'absent', which is not present"):
        discovery.dependency_order([Manifest("needy", "N", "1", requires=("absent",))])


def test_cycle_refused_at_startup_the_rest_still_loads(module_factory, tmp_path):
    first, second = unique_name("cyc"), unique_name("cyc")
    module_factory(first, requires=(second,))
    module_factory(second, requires=(first,))
    reg = registry_of(offline_app(tmp_path, first, second))
    for name in (first, second):
        assert name not in reg.manifests
        assert "dependency cycle" in reg.refused[name]
        assert first in reg.refused[name] and second in reg.refused[name]
    assert {"core", "notebook", "notebook_extra"} <= set(reg.manifests)


# --- the one-name rule ---------------------------------------------------------------------


def test_generated_module_keeping_the_rules_loads(module_factory):
    name = module_factory()
    blueprint, tables = discovery.load(manifest_of(name))
    assert blueprint is not None and blueprint.name == name
    assert tables == [f"{name}_item"]


BAD_MODULES = {
    "permission prefix": (
        lambda n: {"permissions": {"cases.view": "查看"}},
        lambda n: rf"permission 'cases\.view' must start with '{n}\.'",
    ),
    "table prefix": (
        lambda n: {"table": f"x{n}"},
        lambda n: rf"table\(s\) x{n} must be prefixed '{n}_'",
    ),
    "blueprint name": (
        lambda n: {"blueprint_name": "someone_else"},
        lambda n: rf"blueprint must be a Blueprint named '{n}'",
    ),
    "templates folder": (
        lambda n: {"template_folder": "pages"},
        lambda n: rf"templates/ must hold exactly one folder named '{n}' \(found: pages\)",
    ),
    "branch label": (
        lambda n: {"branch_label": None},
        lambda n: rf"base revision\(s\) {n}_0001 must carry branch_labels = \('{n}',\)",
    ),
    "another branch label": (
        lambda n: {"branch_label": "notebook_two"},
        lambda n: rf"base revision\(s\) {n}_0001 must carry branch_labels = \('{n}',\)",
    ),
    "migration depending on an unknown revision": (
        lambda n: {"depends_on": "elsewhere_0001"},
        lambda n: rf"module '{n}': its migrations refer to a revision found neither in core nor",
    ),
    "job id prefix": (
        lambda n: {"job_id": "jobs.tick"},
        lambda n: rf"job id 'jobs\.tick' must start with '{n}\.'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_MODULES))
def test_bad_module_is_refused_saying_what_to_fix(case, module_factory):
    options, message = BAD_MODULES[case]
    name = unique_name("bad")
    module_factory(name, **options(name))
    with pytest.raises(ManifestError, match=message(name)):
        discovery.load(manifest_of(name))


def test_bad_modules_refused_at_startup_and_listed(module_factory, same_db_app):
    good = module_factory()
    bad = module_factory(permissions={"other.view": "查看"})
    dependent = module_factory(requires=(bad,))
    broken = module_factory(broken_import=True)
    other = same_db_app(MINSHENG_EXTRA_MODULES=(*SAMPLE_MODULES, good, bad, dependent, broken))
    reg = registry_of(other)

    assert good in reg.manifests and good in reg.blueprints
    assert {"notebook", "notebook_extra"} <= set(reg.manifests)
    assert f"permission 'other.view' must start with '{bad}.'" in reg.refused[bad]
    assert bad in reg.refused[dependent]
    assert "a_package_that_does_not_exist" in reg.refused[broken]
    for name in (bad, dependent, broken):
        assert name not in reg.manifests and name not in reg.blueprints

    client = other.test_client()
    login(client, "admin")
    page = client.get("/admin/modules").get_data(as_text=True)
    assert str(escape(reg.refused[bad])) in page
    assert str(escape(reg.refused[broken])) in page
    assert client.get(f"/{good}/").status_code == 404  # present but not installed
    assert client.get(f"/{bad}/").status_code == 404  # refused: never registered


# --- install state -------------------------------------------------------------------------


def test_install_pulls_in_requirements_uninstall_of_a_requirement_refused(app):
    reg = registry_of(app)
    with app.app_context():
        assert reg.installed_names() == {"core"}
        assert install(["notebook_extra"]) == ["notebook", "notebook_extra"]
        assert reg.installed_names() == {"core", "notebook", "notebook_extra"}
        assert "notebook_note" in inspect(db.engine).get_table_names()

        with pytest.raises(InstallError) as exc:
            uninstall("notebook")
        assert "notebook_extra" in str(exc.value) and "依赖" in str(exc.value)
        assert db.session.get(ModuleState, "notebook").installed
        assert install(["notebook"]) == []  # already installed: nothing to do

        uninstall("notebook_extra")
        uninstall("notebook")
        assert reg.installed_names() == {"core"}
        with pytest.raises(InstallError, match="核心模块不能卸载"):
            uninstall("core")


def test_reinstall_keeps_data_and_never_reloads_seed(app):
    from core.accounts.models import Permission, Role
    from tests.sample_modules.notebook.models import Note

    with app.app_context():
        install(["notebook"])
        seeded_at = db.session.get(ModuleState, "notebook").seeded_at
    assert note_titles(app) == ["欢迎使用记事本"]
    with app.app_context():
        # An administrator deletes the seed note and takes a default grant back.
        db.session.execute(delete(Note))
        role = db.session.execute(select(Role).where(Role.code == "case_handler")).scalar_one()
        role.permissions = [p for p in role.permissions if p.name != "notebook.view"]
        db.session.commit()
    add_note(app, "需要保留的记事")

    with app.app_context():
        uninstall("notebook")
    assert "notebook_note" in table_names(app)  # uninstall keeps the data
    assert note_titles(app) == ["需要保留的记事"]

    with app.app_context():
        assert install(["notebook"]) == ["notebook"]
        state = db.session.get(ModuleState, "notebook")
        assert state.installed and state.seeded_at == seeded_at
        role = db.session.execute(select(Role).where(Role.code == "case_handler")).scalar_one()
        assert "notebook.view" not in {p.name for p in role.permissions}
        perms = db.session.execute(select(Permission.name).where(Permission.module == "notebook"))
        assert set(perms.scalars()) == {"notebook.view", "notebook.edit"}
    assert note_titles(app) == ["需要保留的记事"]


def test_purge_writes_backup_then_drops_tables(app):
    from core.accounts.models import Permission

    with app.app_context():
        install(["notebook"])
    add_note(app, "清除前的记事")
    with app.app_context():
        with pytest.raises(InstallError, match="请先卸载"):
            purge("notebook")
        uninstall("notebook")
        path = purge("notebook")

    dump = json.loads(path.read_text(encoding="utf-8"))
    assert path.parent == Path(app.config["MINSHENG_VAR_DIR"]) / "backups"
    rows = dump["tables"]["notebook_note"]
    assert [r["title"] for r in rows] == ["欢迎使用记事本", "清除前的记事"]
    assert rows[1]["phone"] == "13800138000"
    assert "notebook_note" not in table_names(app)
    with app.app_context():
        assert db.session.get(ModuleState, "notebook") is None
        assert not db.session.execute(
            select(Permission).where(Permission.module == "notebook")
        ).all()
    [event] = audit_events(app, "module.purge")
    assert event.object_id == "notebook"
    assert event.detail["tables"] == {"notebook_note": 2}
    assert event.detail["backup"] == str(path)

    # After a purge the module starts afresh: tables again, seed loaded again.
    with app.app_context():
        install(["notebook"])
    assert note_titles(app) == ["欢迎使用记事本"]


def test_admin_page_actions_are_audited(app):
    client = app.test_client()
    assert login(client, "admin", "wrong password").status_code == 401
    assert login(client, "admin").status_code == 302

    def act(action: str, **extra):
        token = csrf_token(client, "/admin/modules")
        return client.post(f"/admin/modules/notebook/{action}", data={"csrf_token": token, **extra})

    assert act("install").status_code == 302
    assert client.get("/notebook/").status_code == 200
    assert act("uninstall").status_code == 302
    assert client.get("/notebook/").status_code == 404
    preview = act("purge")
    assert preview.status_code == 200 and "notebook_note" in preview.get_data(as_text=True)
    assert "notebook_note" in table_names(app)  # a preview drops nothing
    assert act("purge", confirm="y").status_code == 302
    assert "notebook_note" not in table_names(app)

    assert [e.detail.get("account") for e in audit_events(app, "login.failure")] == ["admin"]
    [ok] = audit_events(app, "login.success")
    assert ok.username == "admin"
    events = [e for e in audit_events(app, "module.") if e.object_id == "notebook"]
    assert [(e.action, e.object_id, e.username) for e in events] == [
        ("module.install", "notebook", "admin"),
        ("module.uninstall", "notebook", "admin"),
        ("module.purge", "notebook", "admin"),
    ]
    assert all(e.address == "127.0.0.1" for e in events)


def test_second_instance_sees_install_and_uninstall_without_restart(app, same_db_app):
    worker = same_db_app()
    client = worker.test_client()
    login(client, "admin")
    assert client.get("/notebook/").status_code == 404
    assert "记事本" not in client.get("/").get_data(as_text=True)

    with app.app_context():
        install(["notebook"])
    page = client.get("/notebook/")
    assert page.status_code == 200 and "欢迎使用记事本" in page.get_data(as_text=True)
    assert "记事本" in client.get("/").get_data(as_text=True)

    with app.app_context():
        uninstall("notebook")
    assert client.get("/notebook/").status_code == 404
    assert "记事本" not in client.get("/").get_data(as_text=True)


def test_purge_refused_while_a_module_requiring_it_keeps_data(app, module_factory, same_db_app):
    base = module_factory()
    ext = module_factory(requires=(base,), depends_on=f"{base}_0001")
    site = same_db_app(MINSHENG_EXTRA_MODULES=(*SAMPLE_MODULES, base, ext))
    with site.app_context():
        assert install([ext]) == [base, ext]
        uninstall(ext)
        uninstall(base)
        with pytest.raises(InstallError, match=ext):
            purge(base)
    assert {f"{base}_item", f"{ext}_item"} <= table_names(site)
    with site.app_context():
        purge(ext)
        assert f"{base}_item" in inspect(db.engine).get_table_names()
        purge(base)
    assert not {f"{base}_item", f"{ext}_item"} & table_names(site)


# --- an add-on distribution found through its entry point -----------------------------------


@pytest.fixture(scope="module")
def almanac_site(tmp_path_factory):
    """The test add-on installed for real (pip, real metadata) into a folder of its own."""
    work = tmp_path_factory.mktemp("almanac")
    source = work / "source"  # a copy: building writes build/ and *.egg-info next to the code
    shutil.copytree(ADDON_SOURCE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    site = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--target",
            str(site),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    yield site
    for table in discovery._owned_tables.pop("almanac", []):
        Base.metadata.remove(Base.metadata.tables[table])
    for mod in [m for m in sys.modules if m.split(".")[0] == "minsheng_almanac"]:
        del sys.modules[mod]


@pytest.fixture
def almanac_on_path(almanac_site, monkeypatch):
    monkeypatch.syspath_prepend(str(almanac_site))  # also invalidates the import caches
    return almanac_site


def test_entry_point_addon_is_discovered_installed_and_uninstalled(
    almanac_on_path, databases, backend, tmp_path
):
    from importlib.metadata import distribution

    [ep] = distribution("minsheng-addon-almanac").entry_points.select(group="minsheng.modules")
    assert ep.value == "minsheng_almanac.module:manifest"

    url = databases.new(backend)
    site_app = make_app(url, tmp_path / "var")
    try:
        reg = registry_of(site_app)
        assert "almanac" in reg.manifests, reg.refused
        assert reg.manifests["almanac"].path == almanac_on_path / "minsheng_almanac"
        assert reg.tables["almanac"] == ["almanac_entry"]
        client = site_app.test_client()
        login(client, "admin")
        assert client.get("/almanac/").status_code == 404

        with site_app.app_context():
            assert install(["almanac"]) == ["almanac"]
        assert "almanac_entry" in table_names(site_app)
        page = client.get("/almanac/")
        assert page.status_code == 200
        assert "2026-02-04 立春" in page.get_data(as_text=True)  # seed row, read from its table

        with site_app.app_context():
            uninstall("almanac")
        assert client.get("/almanac/").status_code == 404
        assert "almanac_entry" in table_names(site_app)
    finally:
        with site_app.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)


# --- scheduled jobs ------------------------------------------------------------------------


def test_job_runs_only_while_its_module_is_installed(app):
    from core.scheduler import job_runner
    from tests.sample_modules.notebook import jobs

    [job] = registry_of(app).get("notebook").jobs
    run = job_runner(app, "notebook", job)
    jobs.RUNS.clear()
    assert run() is False
    assert jobs.RUNS == []
    with app.app_context():
        install(["notebook"])
    assert run() is True
    assert jobs.RUNS == [1]  # the job counted the seed note
    with app.app_context():
        uninstall("notebook")
    assert run() is False
    assert jobs.RUNS == [1]


def test_scheduler_registers_every_job_on_beijing_time(tmp_path):
    from apscheduler.schedulers.background import BackgroundScheduler

    from core.scheduler import build_scheduler

    app = offline_app(tmp_path)
    declared = {j.id for m in registry_of(app).manifests.values() for j in m.jobs}
    assert {"notebook.count", "core.prune_login_attempts"} <= declared
    # A scheduler handed in with another zone must not shift the jobs off Beijing time.
    for scheduler in (
        build_scheduler(app),
        build_scheduler(app, BackgroundScheduler(timezone="UTC")),
    ):
        jobs = {j.id: j for j in scheduler.get_jobs()}
        assert set(jobs) == declared
        for job in jobs.values():
            assert str(job.trigger.timezone) == "Asia/Shanghai"
        prune = jobs["core.prune_login_attempts"].trigger  # cron 03:10
        now = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)  # 08:00 in Beijing
        fire = prune.get_next_fire_time(None, now)
        assert fire.astimezone(UTC) == datetime(2026, 3, 1, 19, 10, tzinfo=UTC)


# --- the command line ----------------------------------------------------------------------


def test_cli_modules_list_install_uninstall_purge(app):
    runner = app.test_cli_runner()

    def cli(*args, **kw):
        return runner.invoke(args=list(args), **kw)

    listing = cli("modules", "list")
    assert listing.exit_code == 0, listing.output
    lines = {line.split()[0]: line for line in listing.output.splitlines()}
    assert "not installed" in lines["notebook"]
    assert "requires notebook" in lines["notebook_extra"]

    done = cli("modules", "install", "notebook_extra")
    assert done.exit_code == 0, done.output
    assert "installed: notebook, notebook_extra" in done.output
    lines = {line.split()[0]: line for line in cli("modules", "list").output.splitlines()}
    assert " installed " in lines["notebook"] and " installed " in lines["notebook_extra"]

    refused = cli("modules", "uninstall", "notebook")
    assert refused.exit_code == 1 and "notebook_extra" in refused.output
    assert cli("modules", "uninstall", "notebook_extra").exit_code == 0
    add_note(app, "命令行记事")

    aborted = cli("modules", "uninstall", "notebook", "--purge", input="n\n")
    assert aborted.exit_code == 1
    assert "notebook_note: 2 row(s)" in aborted.output
    assert "notebook_note" in table_names(app)
    lines = {line.split()[0]: line for line in cli("modules", "list").output.splitlines()}
    assert "uninstalled (data kept)" in lines["notebook"]

    purged = cli("modules", "uninstall", "notebook", "--purge", "--yes")
    assert purged.exit_code == 0, purged.output
    backup = Path(purged.output.split("backup written to ")[1].split(";")[0])
    assert "命令行记事" in backup.read_text(encoding="utf-8")
    assert "notebook_note" not in table_names(app)
    lines = {line.split()[0]: line for line in cli("modules", "list").output.splitlines()}
    assert "not installed" in lines["notebook"]

    unknown = cli("modules", "install", "no_such_module")
    assert unknown.exit_code == 1 and "no module named 'no_such_module'" in unknown.output


def test_cli_refuses_with_a_reason_never_silently(app):
    runner = app.test_cli_runner()

    def refused(*args: str) -> str:
        result = runner.invoke(args=list(args))
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)  # a message, not a traceback
        return result.output

    assert "no module named 'no_such_module'" in refused("modules", "uninstall", "no_such_module")
    assert "模块 notebook 未安装" in refused("modules", "uninstall", "notebook")
    assert "尚未安装" in refused("modules", "upgrade", "notebook")
    assert "没有可清除的数据" in refused("modules", "uninstall", "notebook", "--purge", "--yes")
    assert not list((Path(app.config["MINSHENG_VAR_DIR"]) / "backups").glob("*"))
    assert audit_events(app, "module.purge") == []

    assert runner.invoke(args=["modules", "install", "notebook"]).exit_code == 0
    upgraded = runner.invoke(args=["modules", "upgrade", "notebook"])
    assert upgraded.exit_code == 0 and "upgraded: notebook" in upgraded.output
    [event] = audit_events(app, "module.upgrade")
    assert event.object_id == "notebook"

    purged = runner.invoke(args=["modules", "uninstall", "notebook", "--purge", "--yes"])
    assert purged.exit_code == 0, purged.output
    assert "没有可清除的数据" in refused("modules", "uninstall", "notebook", "--purge", "--yes")


def test_cli_db_upgrade_creates_core_once(databases, backend, tmp_path):
    url = databases.new(backend, empty=True)
    fresh = make_app(url, tmp_path / "var")
    try:
        runner = fresh.test_cli_runner()
        first = runner.invoke(args=["db", "upgrade"])
        assert first.exit_code == 0, first.output
        assert first.output.strip() == "core installed"
        assert {"core_user", "core_module", "core_audit_event"} <= table_names(fresh)
        second = runner.invoke(args=["db", "upgrade"])
        assert second.output.strip() == "core is up to date"
        with fresh.app_context():
            assert len(audit_events(fresh, "module.install")) == 1
    finally:
        with fresh.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)


def test_upgrade_drops_permissions_the_module_no_longer_declares(app):
    from core.accounts.models import Permission, Role
    from core.registry.installer import upgrade

    with app.app_context():
        install(["notebook"])
        registry = registry_of(app)
        admin = db.session.execute(select(Role).where(Role.code == "admin")).scalar_one()
        assert "notebook.edit" in {p.name for p in admin.permissions}
        original = registry.manifests["notebook"]
        slimmer = replace(
            original,
            version="1.1.0",
            permissions={"notebook.view": "查看记事"},
            default_grants={},
            menu=(),
        )
        registry.manifests["notebook"] = slimmer
        try:
            upgrade("notebook", registry=registry)
        finally:
            registry.manifests["notebook"] = original
        names = set(db.session.execute(select(Permission.name)).scalars())
        assert "notebook.edit" not in names and "notebook.view" in names
        db.session.expire_all()
        admin = db.session.execute(select(Role).where(Role.code == "admin")).scalar_one()
        assert {p.name for p in admin.permissions} >= {"notebook.view"}
        assert "notebook.edit" not in {p.name for p in admin.permissions}


def test_tables_are_owned_by_prefix_even_when_models_were_imported_first(
    databases, backend, tmp_path
):
    # Something imported the module's models before the registry loaded it (a test module, an
    # add-on): the registry must still know its tables, or purge would drop nothing.
    import tests.sample_modules.notebook.models  # noqa: F401

    saved = discovery._owned_tables.pop("notebook", None)
    url = databases.new(backend)
    app = make_app(url, tmp_path / "var")
    try:
        assert registry_of(app).tables["notebook"] == ["notebook_note"]
        assert "notebook_note" not in registry_of(app).tables.get("notebook_extra", [])
        with app.app_context():
            install(["notebook"])
            uninstall("notebook")
            purge("notebook")
        assert "notebook_note" not in table_names(app)
    finally:
        if saved is not None:
            discovery._owned_tables["notebook"] = saved
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)
