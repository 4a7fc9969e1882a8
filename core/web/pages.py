"""Core pages: home, module administration, audit log."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import String, and_, cast, false, or_, select

from core.accounts.forms import ConfirmForm
from core.accounts.models import User
from core.accounts.record_rules import criteria_for, scoped_models
from core.audit import AuditEvent
from core.extensions import db
from core.registry import installer
from core.registry.manifest import ManifestError
from core.registry.models import ModuleState
from core.registry.registry import current_registry
from core.web.blueprint import bp
from core.web.http import paginate, require


@bp.route("/")
@login_required
def home():
    """The start page: what the user can reach."""
    return render_template("core/home.html")


@bp.route("/healthz")
def healthz():
    """Liveness for the load balancer (no database work)."""
    return {"status": "ok"}


@bp.route("/admin/modules")
@require("core.admin.modules")
def modules():
    """Modules present, their state, and actions."""
    registry = current_registry()
    states = {s.name: s for s in db.session.execute(select(ModuleState)).scalars()}
    installed = registry.installed_names()
    rows = []
    for name, manifest in registry.manifests.items():
        rows.append(
            {
                "manifest": manifest,
                "state": states.get(name),
                "installed": name in installed,
                "dependents": installer.installed_dependents(registry, name),
                "preview": None,
            }
        )
    return render_template(
        "core/admin/modules.html", rows=rows, refused=registry.refused, form=ConfirmForm()
    )


@bp.route("/admin/modules/<name>/<action>", methods=["POST"])
@require("core.admin.modules")
def module_action(name: str, action: str):
    """Install, upgrade, uninstall or purge a module (purge asks for a preview first)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("表单已过期，请重试。", "error")
        return redirect(url_for("core.modules"))
    try:
        if action == "install":
            done = installer.install([name])
            flash(f"已安装：{'、'.join(done) or '无（均已安装）'}。", "success")
        elif action == "upgrade":
            installer.upgrade(name)
            flash(f"已升级 {name}。", "success")
        elif action == "uninstall":
            installer.uninstall(name)
            flash(f"已卸载 {name}，数据已保留。", "success")
        elif action == "purge":
            if not form.confirm.data:
                preview = installer.purge_preview(name)
                return render_template("core/admin/purge.html", preview=preview, form=form)
            path = installer.purge(name)
            flash(f"已清除 {name} 的数据表，备份文件：{path}", "success")
        else:
            flash("未知操作。", "error")
    except (installer.InstallError, ManifestError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    current_app.logger.info("module %s %s by admin", name, action)
    return redirect(url_for("core.modules"))


def audit_scope(user):
    """The events a reader whose records are limited may see (``None``: all of them).

    The record rules hold on the log too: its summaries name matters and people. A reader who
    does not see every agency sees what people of the agencies they see did, and what was done
    to the records they see (a matter forwarded to them, a module's record of theirs) — not a
    sibling agency's matter numbers.
    """
    ids = criteria_for(user)
    if ids is None:
        return None
    arms = [AuditEvent.user_id.in_(select(User.id).where(User.agency_id.in_(ids)))]
    # Only the installed modules' records: a module present but not installed has no tables.
    installed = tuple(f"{name}_" for name in current_registry().installed_names())
    for model in scoped_models():
        if not model.__table__.name.startswith(installed):
            continue
        visible = select(cast(model.id, String)).where(
            model.scope_criterion(ids) if ids else false()
        )
        arms.append(
            and_(AuditEvent.object_type == model.__name__, AuditEvent.object_id.in_(visible))
        )
    return or_(*arms)


@bp.route("/admin/audit")
@require("core.audit.view")
def audit_log():
    """The audit log, newest first, filterable by action, user and object."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    scope = audit_scope(current_user)
    if scope is not None:
        stmt = stmt.where(scope)
    action = request.args.get("action", "").strip()
    who = request.args.get("who", "").strip()
    obj = request.args.get("object", "").strip()
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action))
    if who:
        stmt = stmt.where(AuditEvent.username == who)
    if obj:
        stmt = stmt.where(AuditEvent.object_id == obj)
    page = paginate(stmt, request.args.get("page", 1, type=int), 100)
    return render_template("core/admin/audit.html", page=page, action=action, who=who, obj=obj)
