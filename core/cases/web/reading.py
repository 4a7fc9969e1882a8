"""The read side of a matter, shared by its page and the API: parties, clocks, files, timeline.

Everything here runs through the record rules (ORM selects) and the sealing and masking rules
(``core.cases.people.sealing``), so the page and the API show the same things to the same person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from core.accounts.masking import present
from core.cases.lifecycle.table import STATES
from core.cases.models import Attachment, Clock, Document, Matter, TimelineEntry
from core.cases.people.sealing import SEALED, attachment_visible, identity_sealed_for, party_values
from core.extensions import db
from core.web.i18n import N_

CLOCK_STATES = {
    "running": "进行中",
    "paused": "中止计算",
    "met": "按期完成",
    "missed": "超期完成",
    "lapsed": "期满未申请",
    "cancelled": "已撤销",
}
SUMMARY_CHARS = 60


def state_label(state: str) -> str:
    """The Chinese label of a matter state."""
    return STATES.get(state, state)


def short(text: str | None, chars: int = SUMMARY_CHARS) -> str:
    """``text`` cut to ``chars`` characters with an ellipsis."""
    text = (text or "").strip().replace("\n", " ")
    return text if len(text) <= chars else text[: chars - 1] + "…"


def party_role(party: Any) -> str:
    """主访人 / 代表 / 信访人."""
    if party.is_lead:
        return "主访人"
    if party.is_representative:
        return "代表"
    return "信访人"


@dataclass
class PartyView:
    """A petitioner as the viewer may see them."""

    role: str
    representative: bool
    values: dict[str, str]


def parties(matter: Matter, user: Any) -> list[PartyView]:
    """The petitioners of ``matter``: sealed for the unit complained about, else masked."""
    sealed = identity_sealed_for(matter, user)
    return [
        PartyView(party_role(p), p.is_representative, party_values(p.person, sealed))
        for p in matter.parties
    ]


def lead_name(matter: Matter, user: Any) -> str:
    """The lead petitioner's name for lists (sealed or masked as the rules say)."""
    lead = matter.lead
    if lead is None:
        return "匿名" if matter.has_flag("anonymous") else ""
    if identity_sealed_for(matter, user):
        return SEALED
    # Only the name is shown: ask for nothing else, so the audit of unmasked views (and the
    # cost per row of long lists and exports) covers what is really read.
    return present(lead.person, ("name",))["name"] or ""


def clocks(matter: Matter) -> list[Clock]:
    """The matter's clocks, oldest first."""
    return list(matter.clocks)


@dataclass
class EntryView:
    """A timeline entry as the viewer may see it."""

    at: Any
    actor: str
    kind: str
    title: str
    body: str


def timeline(matter: Matter, user: Any) -> list[EntryView]:
    """The matter's timeline in order; a sealed viewer does not see withheld files' names."""
    entries = db.session.execute(
        select(TimelineEntry)
        .where(TimelineEntry.matter_id == matter.id)
        .order_by(TimelineEntry.at, TimelineEntry.id)
    ).scalars()
    hidden: set[int] = set()
    if identity_sealed_for(matter, user):
        hidden = {f.attachment.id for f in uploads(matter, user) if not f.downloadable}
    out = []
    for e in entries:
        if (e.data or {}).get("attachment_id") in hidden:
            out.append(EntryView(e.at, e.actor, e.kind, f"上传附件{SEALED}", ""))
        else:
            out.append(EntryView(e.at, e.actor, e.kind, e.title, e.body))
    return out


#: The titles core writes on the timeline, stored in Chinese when the step is taken, and how the
#: page shows them in the reader's language: (pattern, message, the parts that are labels).
#: Names, numbers and dates stay as stored.
_TITLES = (
    (re.compile(r"^登记（(?P<channel>[^（）]+)）$"), N_("登记（%(channel)s）"), ("channel",)),
    (
        re.compile(r"^出具(?P<title>[^（）]+)（(?P<number>.+)）$"),
        N_("出具%(title)s（%(number)s）"),
        ("title",),
    ),
    (re.compile(r"^上传附件：(?P<name>.+)$"), N_("上传附件：%(name)s"), ()),
    (
        re.compile(r"^满意度评价（(?P<target>[^（）]+)）：(?P<value>.+)$"),
        N_("满意度评价（%(target)s）：%(value)s"),
        ("target", "value"),
    ),
    (
        re.compile(r"^(?P<label>.+)超期（应于 (?P<due>\S+) 前完成）$"),
        N_("%(label)s超期（应于 %(due)s 前完成）"),
        ("label",),
    ),
    (
        re.compile(r"^(?P<label>.+)重新计算：(?P<before>\S+) → (?P<after>\S+)$"),
        N_("%(label)s重新计算：%(before)s → %(after)s"),
        ("label",),
    ),
    (re.compile(r"^(?P<state>.+) → 已终结$"), N_("%(state)s → 已终结"), ("state",)),
)
#: Fixed titles of core's timeline (core/cases/lifecycle/registration.py, triage.py, sealing).
FIXED_TITLES = (N_("信访人身份待核对"), N_("不计告知期限"), N_("上传附件（已保密）"))


def entry_title(title: str) -> str:
    """A timeline title in the reader's language (a step's label, or one of ``_TITLES``)."""
    shown = gettext(title)
    if shown != title:
        return shown
    for pattern, message, labels in _TITLES:
        m = pattern.match(title)
        if m:
            parts = {k: gettext(v) if k in labels else v for k, v in m.groupdict().items()}
            return gettext(message, **parts)
    return title


@dataclass
class FileView:
    """An attachment or issued document, and whether this viewer may download it."""

    attachment: Attachment
    document: Document | None
    downloadable: bool


def documents(matter: Matter, user: Any) -> list[FileView]:
    """Issued documents (frozen PDFs), oldest first."""
    sealed = identity_sealed_for(matter, user)
    docs = db.session.execute(
        select(Document).where(Document.matter_id == matter.id).order_by(Document.id)
    ).scalars()
    return [FileView(d.attachment, d, attachment_visible(d.attachment, sealed, user)) for d in docs]


def uploads(matter: Matter, user: Any) -> list[FileView]:
    """Files uploaded to the matter, oldest first."""
    sealed = identity_sealed_for(matter, user)
    rows = db.session.execute(
        select(Attachment)
        .where(Attachment.matter_id == matter.id, Attachment.kind == "upload")
        .order_by(Attachment.id)
    ).scalars()
    return [FileView(a, None, attachment_visible(a, sealed, user)) for a in rows]


def size_label(size: int) -> str:
    """A file size for people (KB / MB)."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
