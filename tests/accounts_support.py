"""Helpers shared by the ``tests/test_accounts_*.py`` files (not a fixture plugin)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from tests.ldap_server import LdapServer
from tests.plugin import PASSWORD, csrf_token, login

__all__ = ["PASSWORD", "csrf_token", "login"]

# The Chinese groups of the slapd seed mapped to role codes of core/seed.py.
GROUP_ROLE_MAP = {"登记员": "registration_clerk", "承办人": ["case_handler"], "局领导": ["leader"]}


def ldap_settings(slapd: LdapServer, **overrides: Any) -> dict[str, Any]:
    """The ``MINSHENG_LDAP`` mapping of an app talking to the test slapd."""
    settings: dict[str, Any] = {
        "url": slapd.url,
        "bind_dn": slapd.service_dn,
        "bind_password": slapd.service_password,
        "user_base": slapd.people_dn,
        "group_base": slapd.groups_dn,
        "group_role_map": GROUP_ROLE_MAP,
        "agency_map": {
            f"ou=信访局,{slapd.people_dn}": "XFJ",
            f"ou=城建局,{slapd.people_dn}": "CJJ",
        },
        "timeout": 2,
    }
    settings.update(overrides)
    return settings


def text(resp) -> str:
    """The response body as text."""
    return resp.get_data(as_text=True)


def user_row(username: str):
    """The ``User`` row of ``username`` (inside an app context), or None."""
    from core.accounts.models import User
    from core.extensions import db

    return db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def audit_actions(action: str) -> list:
    """Audit events with ``action``, oldest first (inside an app context)."""
    from core.audit import AuditEvent
    from core.extensions import db

    return list(
        db.session.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).scalars()
    )


def post_form(client, url: str, data: dict[str, Any], *, token_from: str | None = None):
    """POST ``data`` to ``url`` with the CSRF token of the form on ``token_from`` (or ``url``)."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, token_from or url)})


_HIDDEN_VERSION = re.compile(r'id="version" name="version" type="hidden" value="(\d+)"')


def form_version(html: str) -> str:
    """The optimistic-locking ``version`` carried by a rendered edit form."""
    m = _HIDDEN_VERSION.search(html)
    assert m, "no version field in the form"
    return m.group(1)


def selected(html: str, select_id: str) -> list[str]:
    """The selected option values of the ``<select id=select_id>`` of a rendered form."""
    block = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option selected value="(\d+)"', block)


def user_form(html: str, **values) -> dict:
    """The user edit form as rendered (typed values included), with ``values`` changed."""
    data = {
        "csrf_token": re.search(
            r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html
        ).group(1),
        "version": form_version(html),
        "display_name": re.search(r'name="display_name"[^>]*value="([^"]*)"', html).group(1),
        "agency_id": selected(html, "agency_id")[0],
        "extra_agency_ids": selected(html, "extra_agency_ids"),
        "role_ids": selected(html, "role_ids"),
        "active": "y",
    }
    data.update(values)
    return data
