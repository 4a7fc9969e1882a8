"""What the desk's pages share: refusals onto forms, the lawyer choices, the stale message."""

from __future__ import annotations

from flask import flash

from core.api import N_, ActionRefused, _l, apply_errors, opts

from .. import services

#: Flashed through gettext when an edit lost to another writer.
STALE = N_("该记录已被他人修改，请刷新页面后重新编辑（您的修改未保存）。")


def refused(form, exc: ActionRefused) -> None:
    """Put the service's messages next to their fields (others as a flash), and say why."""
    for message in apply_errors(form, exc.errors).values():
        flash(message, "error")
    flash(str(exc), "error")


def lawyer_choices(*, serving_only: bool = True, blank: bool = True) -> list:
    """The roster's lawyers as a select's choices."""
    rows = [
        (lw.id, f"{lw.name}（{lw.firm}）" if lw.firm else lw.name)
        for lw in services.lawyers(serving_only=serving_only)
    ]
    return opts([(0, _l("（请选择）")), *rows] if blank else rows)
