"""Administration pages: users, roles × permissions, agencies, directory preview."""

from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select
from wtforms import SelectChoice

from core.accounts.directory import DirectoryError
from core.accounts.forms import AgencyForm, DirectoryPreviewForm, NewLocalUserForm, UserForm
from core.accounts.models import Agency, Permission, Role, User
from core.accounts.provisioning import assignment_for, directory_client
from core.accounts.services import (
    AccountError,
    StaleEdit,
    check_version,
    create_local_user,
    save_agency,
    set_role_permissions,
    update_user,
)
from core.audit import AuditEvent
from core.extensions import db
from core.web.blueprint import bp
from core.web.http import paginate, require
from core.web.i18n import N_, _l

GRANT_KEY = re.compile(r"^g-(\d+)-(\d+)$")
VERSION_KEY = re.compile(r"^v-(\d+)$")


def _agency_choices(blank: str | None = None) -> list[SelectChoice]:
    agencies = db.session.execute(select(Agency).order_by(Agency.path)).scalars()
    choices = [SelectChoice(a.id, "　" * (a.path.count("/") - 2) + a.name) for a in agencies]
    return ([SelectChoice(0, blank)] if blank else []) + choices


def _refusal_status(exc: AccountError) -> int:
    # Someone else's save came first: 409. A change the rules refuse: 422.
    return 409 if isinstance(exc, StaleEdit) else 422


# --- stale saves: what changed, what was typed --------------------------------------------------


def _comparable(field, value: Any) -> Any:
    if field.type == "BooleanField":
        return bool(value)
    if field.type == "SelectMultipleField":
        return sorted(value or [])
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def _shown(field, value: Any) -> str:
    """A form value as the page shows it: choice labels, 是/否."""
    if field.type == "BooleanField":
        return "是" if value else "否"
    labels = {c.value: str(c.label).strip("　") for c in (getattr(field, "choices", None) or [])}
    if field.type == "SelectMultipleField":
        return "、".join(labels.get(v, str(v)) for v in sorted(value or [])) or "（无）"
    if labels:
        return labels.get(value, str(value))
    return "" if value is None else str(value)


def _last_save(obj) -> AuditEvent | None:
    """The latest audited change of ``obj``: who saved it before this user, and when."""
    return db.session.execute(
        select(AuditEvent)
        .where(
            AuditEvent.object_type == type(obj).__name__,
            AuditEvent.object_id == str(obj.id),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _stale(form, obj, now: dict[str, Any]) -> dict[str, Any]:
    """The panel of a save refused as stale; the form keeps what was typed.

    ``now`` holds the record as it now is, in the form's own terms (field name → value). The
    panel lists the fields where it differs from what was typed, side by side; the form carries
    the version now shown, so sending it again goes through.
    """
    rows = []
    for name, value in now.items():
        field = form[name]
        if _comparable(field, value) != _comparable(field, field.data):
            rows.append((str(field.label.text), _shown(field, value), _shown(field, field.data)))
    form.version.data = obj.version
    form.version.raw_data = [str(obj.version)]
    return {
        "rows": rows,
        "last": _last_save(obj),
        "columns": (N_("字段"), N_("现在的记录"), N_("您填写的")),
    }


@bp.route("/admin/users")
@require("core.admin.users")
def users():
    """Search and list users."""
    # Control characters (a NUL would make PostgreSQL refuse the query) are never in a name.
    q = "".join(ch for ch in request.args.get("q", "") if ch.isprintable()).strip()[:100]
    stmt = select(User).order_by(User.username)
    if q:
        stmt = stmt.where(
            or_(
                User.username.icontains(q, autoescape=True),
                User.display_name.icontains(q, autoescape=True),
            )
        )
    page = paginate(stmt, request.args.get("page", 1, type=int))
    form = NewLocalUserForm()
    form.agency_id.choices = _agency_choices(_l("（无）"))
    return render_template("core/admin/users.html", page=page, q=q, form=form)


@bp.route("/admin/users/new", methods=["POST"])
@require("core.admin.users")
def user_create():
    """Create a local account."""
    form = NewLocalUserForm()
    form.agency_id.choices = _agency_choices(_l("（无）"))
    if form.validate_on_submit():
        try:
            user = create_local_user(
                form.username.data,
                form.display_name.data,
                form.password.data,
                db.session.get(Agency, form.agency_id.data),
            )
            flash(f"已新建用户 {user.username}。", "success")
            return redirect(url_for("core.user_edit", user_id=user.id))
        except AccountError as exc:
            db.session.rollback()
            getattr(form, exc.field or "password").errors = [str(exc)]
    page = paginate(select(User).order_by(User.username))
    return render_template("core/admin/users.html", page=page, q="", form=form), 422


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@require("core.admin.users")
def user_edit(user_id: int):
    """Edit a user's agency, grants, roles and state."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    form.agency_id.choices = _agency_choices(_l("（无）"))
    form.extra_agency_ids.choices = _agency_choices()
    form.role_ids.choices = [
        SelectChoice(r.id, _l(r.name))
        for r in db.session.execute(select(Role).order_by(Role.name)).scalars()
    ]
    if request.method == "GET":
        form.agency_id.data = user.agency_id or 0
        form.extra_agency_ids.data = [a.id for a in user.extra_agencies]
        form.role_ids.data = [r.id for r in user.roles]
        form.version.data = user.version
    status = 200
    if form.validate_on_submit():
        try:
            update_user(
                user,
                version=form.version.data,
                display_name=form.display_name.data,
                agency_id=form.agency_id.data or None,
                extra_agency_ids=form.extra_agency_ids.data or [],
                role_ids=form.role_ids.data or [],
                active=form.active.data,
            )
            flash("已保存。", "success")
            return redirect(url_for("core.user_edit", user_id=user.id))
        except StaleEdit:
            db.session.rollback()
            user = db.get_or_404(User, user_id)
            now = {
                "display_name": user.display_name,
                "agency_id": user.agency_id or 0,
                "extra_agency_ids": [a.id for a in user.extra_agencies],
                "role_ids": [r.id for r in user.roles],
                "active": user.active,
            }
            stale = _stale(form, user, now)
            return render_template(
                "core/admin/user_edit.html", user=user, form=form, stale=stale
            ), 409
        except AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            status = _refusal_status(exc)
    elif request.method == "POST":
        status = 422
    return render_template("core/admin/user_edit.html", user=user, form=form), status


def _stale_roles(roles: list[Role], versions: dict[int, int]) -> list[Role]:
    """The roles saved by someone else since the matrix was opened (or added since then).

    A form that carries no versions at all (a script written for the old page) is not checked.
    """
    if not versions:
        return []
    stale = []
    for role in roles:
        try:
            check_version(role, versions.get(role.id))
        except StaleEdit:
            stale.append(role)
    return stale


def _roles_stale_panel(
    stale: list[Role], grants: dict[int, set[int]], perms: list[Permission]
) -> dict[str, Any]:
    """Per stale role, the permissions it now has that were not ticked, and the reverse."""
    names = {p.id: p.name for p in perms}
    rows = []
    for role in stale:
        now = {p.id for p in role.permissions}
        typed = grants.get(role.id, set()) & names.keys()
        only_now = "、".join(sorted(names[i] for i in now - typed)) or "—"
        only_typed = "、".join(sorted(names[i] for i in typed - now)) or "—"
        if now != typed:
            rows.append((role.name, only_now, only_typed))
    saves = [e for e in map(_last_save, stale) if e is not None]
    return {
        "rows": rows,
        "last": max(saves, key=lambda e: e.id, default=None),
        "columns": (N_("角色"), N_("现在有、您未勾选的权限"), N_("您勾选、现在没有的权限")),
    }


@bp.route("/admin/roles", methods=["GET", "POST"])
@require("core.admin.roles")
def roles():
    """The role × permission matrix; each role's ``version`` travels with the form."""
    all_roles = list(db.session.execute(select(Role).order_by(Role.id)).scalars())
    perms = list(
        db.session.execute(
            select(Permission).order_by(Permission.module, Permission.name)
        ).scalars()
    )
    if request.method == "POST":
        grants: dict[int, set[int]] = {r.id: set() for r in all_roles}
        versions: dict[int, int] = {}
        for key, value in request.form.items():
            m = GRANT_KEY.match(key)
            if m:
                grants.setdefault(int(m.group(1)), set()).add(int(m.group(2)))
            m = VERSION_KEY.match(key)
            if m and value.isdigit():
                versions[int(m.group(1))] = int(value)
        typed = {f"g-{r}-{p}" for r, ps in grants.items() for p in ps}
        stale = _stale_roles(all_roles, versions)
        if not stale:
            try:
                changed = set_role_permissions(grants)
                flash(f"已保存，{changed} 个角色的权限有变化。", "success")
                return redirect(url_for("core.roles"))
            except StaleEdit:
                db.session.rollback()
                all_roles = list(db.session.execute(select(Role).order_by(Role.id)).scalars())
                stale = _stale_roles(all_roles, versions) or all_roles
            except AccountError as exc:
                db.session.rollback()
                flash(str(exc), "error")
                return render_template(
                    "core/admin/roles.html", roles=all_roles, perms=perms, checked=typed
                ), 422
        # Someone saved the matrix since it was opened: the boxes stay as this user ticked
        # them, the versions become the current ones, and the panel shows what differs.
        return render_template(
            "core/admin/roles.html",
            roles=all_roles,
            perms=perms,
            checked=typed,
            stale=_roles_stale_panel(stale, grants, perms),
        ), 409
    checked = {f"g-{r.id}-{p.id}" for r in all_roles for p in r.permissions}
    return render_template("core/admin/roles.html", roles=all_roles, perms=perms, checked=checked)


@bp.route("/admin/agencies", methods=["GET", "POST"])
@bp.route("/admin/agencies/<int:agency_id>", methods=["GET", "POST"])
@require("core.admin.agencies")
def agencies(agency_id: int | None = None):
    """The agency tree, with a form to add or edit one."""
    agency = db.get_or_404(Agency, agency_id) if agency_id else None
    form = AgencyForm(obj=agency) if request.method == "GET" else AgencyForm()
    form.parent_id.choices = _agency_choices(_l("（顶级机构）"))
    if request.method == "GET" and agency is not None:
        form.parent_id.data = agency.parent_id or 0
        form.version.data = agency.version
    status, stale = 200, None
    if form.validate_on_submit():
        try:
            saved = save_agency(
                agency,
                version=form.version.data,
                code=form.code.data,
                name=form.name.data,
                level=form.level.data,
                region_code=form.region_code.data,
                parent_id=form.parent_id.data or None,
            )
            flash(f"已保存机构 {saved.name}。", "success")
            return redirect(url_for("core.agencies"))
        except StaleEdit:
            db.session.rollback()
            agency = db.get_or_404(Agency, agency_id)
            now = {
                "code": agency.code,
                "name": agency.name,
                "level": agency.level,
                "region_code": agency.region_code or "",
                "parent_id": agency.parent_id or 0,
            }
            stale = _stale(form, agency, now)
            status = 409
        except AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            status = _refusal_status(exc)
    elif request.method == "POST":
        status = 422
    tree = list(db.session.execute(select(Agency).order_by(Agency.path)).scalars())
    return render_template(
        "core/admin/agencies.html", tree=tree, form=form, agency=agency, stale=stale
    ), status


@bp.route("/admin/directory", methods=["GET", "POST"])
@require("core.admin.users")
def directory_preview():
    """Show which roles and agency a directory user would get."""
    form = DirectoryPreviewForm()
    client = directory_client()
    entry = assignment = None
    error = None
    if form.validate_on_submit():
        if client is None:
            error = "未配置目录服务器（见 README“连接目录服务器”）。"
        else:
            try:
                entry = client.lookup(form.username.data.strip())
                if entry is None:
                    error = "目录中没有该用户。"
                else:
                    assignment = assignment_for(entry)
            except DirectoryError as exc:  # unreachable, or a configuration mistake
                error = str(exc)
    return render_template(
        "core/admin/directory.html",
        form=form,
        entry=entry,
        assignment=assignment,
        error=error,
        configured=client is not None,
    )
