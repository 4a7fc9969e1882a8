"""``flask`` commands: db, modules, users, ldap, scheduler, demo, backup."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from core.extensions import db
from core.registry.manifest import ManifestError

db_cli = AppGroup("db", help="数据库结构（核心分支）。")
modules_cli = AppGroup("modules", help="列出、安装、升级、卸载模块。")
users_cli = AppGroup("users", help="本地账户。")
ldap_cli = AppGroup("ldap", help="目录服务器（LDAP）。")
scheduler_cli = AppGroup("scheduler", help="定时任务进程（全系统只运行一个）。")
demo_cli = AppGroup("demo", help="演示数据。")
backup_cli = AppGroup("backup", help="备份与恢复（数据库与附件）。")


def _registry():
    return current_app.extensions["minsheng.registry"]


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade core's tables (the ``core`` branch); seed roles the first time."""
    from core.registry.installer import install_core

    first = install_core()
    click.echo("core installed" if first else "core is up to date")


@modules_cli.command("list")
def modules_list() -> None:
    """List modules present with their state."""
    from core.registry.models import ModuleState

    reg = _registry()
    states = {s.name: s for s in db.session.execute(select(ModuleState)).scalars()}
    installed = reg.installed_names()
    for name, m in reg.manifests.items():
        st = (
            "installed"
            if name in installed
            else ("uninstalled (data kept)" if name in states else "not installed")
        )
        req = f" requires {','.join(m.requires)}" if m.requires else ""
        click.echo(f"{name:16} {m.version:8} {st:24} {m.title}{req}")
    for name, reason in reg.refused.items():
        click.echo(f"{name:16} REFUSED  {reason}")


@modules_cli.command("install")
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="安装全部已有代码的模块。")
def modules_install(names: tuple[str, ...], all_: bool) -> None:
    """Install modules (and what they require)."""
    from core.registry.installer import InstallError, install

    wanted = [n for n in _registry().manifests if n != "core"] if all_ else list(names)
    if not wanted and not all_:
        raise click.UsageError("name one or more modules, or use --all")
    try:
        done = install(wanted)
    except (InstallError, ManifestError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("installed: " + (", ".join(done) if done else "nothing (already installed)"))


@modules_cli.command("upgrade")
@click.argument("names", nargs=-1, required=True)
def modules_upgrade(names: tuple[str, ...]) -> None:
    """Upgrade installed modules to the code's version."""
    from core.registry.installer import InstallError, upgrade

    for name in names:
        try:
            upgrade(name)
        except (InstallError, ManifestError) as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"upgraded: {name}")


@modules_cli.command("uninstall")
@click.argument("name")
@click.option("--purge", is_flag=True, help="删除数据表（先预览并写备份）。")
@click.option("--yes", is_flag=True, help="不再询问，直接清除。")
def modules_uninstall(name: str, purge: bool, yes: bool) -> None:
    """Uninstall a module, keeping its data unless --purge."""
    from core.registry.installer import InstallError, purge_preview, uninstall
    from core.registry.installer import purge as do_purge

    try:
        # Without --purge, uninstall() itself says why a module that is not installed (or
        # not present) cannot be uninstalled, rather than doing nothing silently.
        if not purge or name in _registry().installed_names():
            uninstall(name)
            click.echo(f"uninstalled: {name} (data kept)")
        if purge:
            preview = purge_preview(name)
            click.echo(f"--purge will drop {len(preview.tables)} table(s) of {name}:")
            for table, count in preview.tables.items():
                click.echo(f"  {table}: {count} row(s)")
            if not yes:
                click.confirm("Write a backup and drop these tables?", abort=True)
            path = do_purge(name)
            click.echo(f"backup written to {path}; tables dropped")
    except (InstallError, ManifestError) as exc:
        raise click.ClickException(str(exc)) from exc


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "display_name", required=True)
@click.option("--role", "roles", multiple=True, help="角色代码，可重复")
@click.option("--agency", default=None, help="机构代码")
@click.password_option()
def users_create(
    username: str, display_name: str, roles: tuple[str, ...], agency: str | None, password: str
) -> None:
    """Create a local account."""
    from core.accounts.models import Agency, Role
    from core.accounts.services import AccountError, create_local_user

    ag = (
        db.session.execute(select(Agency).where(Agency.code == agency)).scalar_one_or_none()
        if agency
        else None
    )
    rs = list(db.session.execute(select(Role).where(Role.code.in_(roles))).scalars())
    try:
        create_local_user(username, display_name, password, ag, rs)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {username}")


@users_cli.command("unthrottle")
@click.argument("username", required=False)
@click.option("--address", default=None, help="也清除此地址的失败记录")
def users_unthrottle(username: str | None, address: str | None) -> None:
    """Forget the failed logins of an account (and/or an address): no question, no wait."""
    from core.accounts import throttle

    if not username and not address:
        raise click.UsageError("请给出用户名或 --address。")
    cleared = throttle.clear(username, address)
    who = " and ".join(x for x in (username, address) if x)
    click.echo(f"cleared {cleared} failed logins of {who}")


@ldap_cli.command("sync")
@click.option("--dry-run", is_flag=True, help="只显示将要做的更改。")
def ldap_sync(dry_run: bool) -> None:
    """Add, update and deactivate users to match the directory."""
    from core.accounts.directory import DirectoryError
    from core.accounts.provisioning import directory_client, sync_directory

    client = directory_client()
    if client is None:
        raise click.ClickException("no [ldap] configured (set MINSHENG_CONFIG)")
    try:
        report = sync_directory(client, dry_run=dry_run)
    except DirectoryError as exc:  # unreachable, misconfigured, or it returned nobody
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps({"dry_run": dry_run, **report.__dict__}, ensure_ascii=False, indent=1))


@ldap_cli.command("whois")
@click.argument("username")
def ldap_whois(username: str) -> None:
    """Show the roles and agency a directory user would get."""
    from core.accounts.directory import DirectoryError
    from core.accounts.provisioning import assignment_for, directory_client

    client = directory_client()
    if client is None:
        raise click.ClickException("no [ldap] configured (set MINSHENG_CONFIG)")
    try:
        entry = client.lookup(username)
    except DirectoryError as exc:
        raise click.ClickException(str(exc)) from exc
    if entry is None:
        raise click.ClickException("not found")
    a = assignment_for(entry)
    click.echo(
        f"{entry.dn}\n{entry.display_name}\ngroups: {entry.groups}\n"
        f"roles: {[r.code for r in a.roles]} unknown: {a.unknown_roles}\n"
        f"agency: {a.agency.code if a.agency else None} unknown: {a.unknown_agency}"
    )


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Run the job scheduler in the foreground (one per deployment)."""
    from core.scheduler import run_scheduler

    run_scheduler(current_app._get_current_object())


@scheduler_cli.command("jobs")
def scheduler_jobs() -> None:
    """List the jobs and whether their module is installed."""
    reg = _registry()
    installed = reg.installed_names()
    for name, m in reg.manifests.items():
        for job in m.jobs:
            state = "on " if name in installed else "off"
            click.echo(f"{state} {job.id:36} {job.trigger} {job.trigger_args} {job.description}")


@demo_cli.command("load")
def demo_load() -> None:
    """Load demo agencies and one local user per role (idempotent); print the logins."""
    from core.demo import load_demo

    for line in load_demo():
        click.echo(line)


@backup_cli.command("create")
@click.option(
    "--to",
    "dest",
    type=click.Path(file_okay=False),
    help="备份文件存放目录（默认 <MINSHENG_VAR_DIR>/backups）。",
)
def backup_create(dest: str | None) -> None:
    """Back up the database and its attachments into one archive (site may keep running)."""
    from pathlib import Path

    from core.backup import BackupError, create_backup

    folder = Path(dest) if dest else Path(current_app.config["MINSHENG_VAR_DIR"]) / "backups"
    try:
        report = create_backup(folder)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(report.tables.values())
    click.echo(
        f"已备份：{report.archive}（{len(report.tables)} 张表 {rows} 行，"
        f"附件 {report.files} 个，{report.size} 字节）"
    )
    if report.missing:
        for name in report.missing:
            click.echo(f"警告：附件 {name} 在磁盘上缺失或已损坏，未能备份。", err=True)
        sys.exit(1)


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
def backup_restore(archive: str) -> None:
    """Restore an archive into the configured empty database and attachments folder."""
    from pathlib import Path

    from core.backup import BackupError, restore_backup

    try:
        report = restore_backup(Path(archive))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(report.tables.values())
    click.echo(f"已恢复：{len(report.tables)} 张表 {rows} 行，附件 {report.files} 个，均已核对。")


NOT_INITIALISED = "数据库尚未初始化：请先运行 flask db upgrade（创建核心数据表），再运行此命令。"


@with_appcontext
def _require_installed_core() -> None:
    """Group callback: a clear message instead of a traceback when core's tables are missing."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import OperationalError

    from core.registry.models import ModuleState

    try:
        present = inspect(db.engine).has_table(ModuleState.__tablename__)
        state = db.session.get(ModuleState, "core") if present else None
    except OperationalError as exc:
        raise click.ClickException(f"无法连接数据库：{exc.orig}") from exc
    finally:
        db.session.rollback()
    if state is None or state.seeded_at is None:
        raise click.ClickException(NOT_INITIALISED)


def install(app: Flask) -> None:
    """Register the command groups on ``app``."""
    groups = (db_cli, modules_cli, users_cli, ldap_cli, scheduler_cli, demo_cli, backup_cli)
    for group in groups:
        app.cli.add_command(group)
    # Everything but ``db`` (which creates the tables) and ``backup`` (restore fills an empty
    # database) needs core installed first.
    for group in (modules_cli, users_cli, ldap_cli, scheduler_cli, demo_cli):
        group.callback = _require_installed_core


def main() -> None:  # pragma: no cover - convenience for python -m
    """Run the CLI with the wsgi app."""
    from flask.cli import FlaskGroup

    from core.app import create_app

    FlaskGroup(create_app=create_app)(sys.argv[1:])
