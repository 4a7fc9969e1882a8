"""Repeat-petition detection (重信重访) at registration.

Candidates are earlier matters of the same person — by resident ID number, or by a name that
sounds the same (same toneless pinyin, so 张伟/章玮 match) with the same or an almost-same
mobile number — ranked by how similar their text is. Each candidate says why it was found.
A candidate still being handled by a lower agency flags a leapfrog registration (条例第19条第3款).

Detection looks across agencies on purpose (a repeat elsewhere is exactly what the desk must
see), so the candidates' details are returned through record rules: a matter the clerk may not
see is reported only by its number, state and agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein
from sqlalchemy import select

from core.accounts.actor import current_actor
from core.accounts.models import Agency
from core.cases.lifecycle.table import FINAL_STATES, STATES
from core.cases.models import Matter, MatterParty, Person
from core.cases.people.idcard import normalise
from core.cases.people.pinyin import pinyin_key
from core.cases.people.sealing import identity_sealed_for
from core.cases.search.index import tokens
from core.extensions import db

MAX_CANDIDATES = 10


@dataclass
class Candidate:
    """An earlier matter that may be the same petition."""

    matter_id: int
    number: str
    state: str
    state_label: str
    agency: str
    received_on: str
    score: float
    reasons: list[str] = field(default_factory=list)
    visible: bool = False
    summary: str = ""
    leapfrog: bool = False


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' bigram sets (0–1)."""
    ta, tb = set(tokens(a)), set(tokens(b))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def _people(id_number: str, name: str, mobile: str) -> dict[int, list[str]]:
    """Persons that may be the petitioner, with the reasons."""
    found: dict[int, list[str]] = {}
    number = normalise(id_number) if id_number else ""
    if number:
        for pid in db.session.execute(
            select(Person.id).where(Person.id_number == number)
        ).scalars():
            found.setdefault(pid, []).append("身份证号码相同")
    key = pinyin_key(name)
    if key:
        rows = db.session.execute(
            select(Person.id, Person.name, Person.mobile).where(Person.name_pinyin == key)
        ).all()
        phone = (mobile or "").strip()
        for pid, other_name, other_mobile in rows:
            same_name = "姓名相同" if other_name == name.strip() else f"姓名同音（{other_name}）"
            if phone and other_mobile:
                distance = Levenshtein.distance(phone, other_mobile)
                if distance == 0:
                    found.setdefault(pid, []).append(f"{same_name}且手机号相同")
                elif distance == 1 and len(phone) == len(other_mobile):
                    found.setdefault(pid, []).append(f"{same_name}且手机号仅差一位")
            elif not number and other_name == name.strip():
                found.setdefault(pid, []).append("姓名相同（无手机号可比）")
    return found


def _below(agency: Agency | None, other_id: int | None) -> bool:
    """Whether ``other_id`` is an organ of a lower administrative level inside ``agency``'s area.

    Levels are data on the agency tree (``Agency.admin_rank``): a department or the petition
    bureau of the same government is the same level, however the tree nests them, so a matter
    it handles makes no leapfrog; a town under the county, or a county under the city, does.
    """
    if agency is None or other_id is None or other_id == agency.id:
        return False
    other = db.session.get(Agency, other_id)
    government = agency.government
    if other is None or government is None or agency.admin_rank is None:
        return False
    lower = (other.admin_rank or 0) > agency.admin_rank
    return lower and other.path.startswith(government.path)


def find_candidates(
    *,
    id_number: str = "",
    name: str = "",
    mobile: str = "",
    text: str = "",
    agency: Agency | None = None,
    exclude_id: int | None = None,
) -> list[Candidate]:
    """Ranked earlier matters that may be the same petition, each with its reasons."""
    people = _people(id_number, name, mobile)
    if not people:
        return []
    stmt = (
        select(Matter, MatterParty.person_id)
        .join(MatterParty, MatterParty.matter_id == Matter.id)
        .where(MatterParty.person_id.in_(people))
        .order_by(Matter.id.desc())
        .limit(200)
        .execution_options(skip_record_rules=True)
    )
    if exclude_id:
        stmt = stmt.where(Matter.id != exclude_id)
    seen: dict[int, Candidate] = {}
    rows = db.session.execute(stmt).all()
    visible_ids = (
        set(
            db.session.execute(
                select(Matter.id).where(Matter.id.in_([m.id for m, _ in rows]))
            ).scalars()
        )
        if rows
        else set()
    )
    actor = current_actor()
    for matter, person_id in rows:
        # The unit an accuser complained about must not learn that this person accused it.
        if matter.id in seen or identity_sealed_for(matter, actor):
            continue
        reasons = list(people[person_id])
        sim = similarity(text, matter.summary + " " + " ".join(matter.demands or [])) if text else 0
        if sim >= 0.2:
            reasons.append(f"内容相似度 {sim:.0%}")
        person_score = 1.0 if any("身份证" in r for r in reasons) else 0.7
        leapfrog = matter.state not in FINAL_STATES and (
            _below(agency, matter.handling_agency_id) or _below(agency, matter.agency_id)
        )
        if leapfrog:
            reasons.append("下级机关正在办理，上级不予受理（条例第19条第3款）")
        if matter.state == "terminated":
            reasons.append("原事项已终结，同一事实和理由不再受理（条例第36条第3款）")
        visible = matter.id in visible_ids
        seen[matter.id] = Candidate(
            matter_id=matter.id,
            number=matter.number,
            state=matter.state,
            state_label=STATES.get(matter.state, matter.state),
            agency=(matter.handling_agency or matter.agency).name,
            received_on=matter.received_on.isoformat(),
            score=round(person_score * 0.6 + sim * 0.4, 3),
            reasons=reasons,
            visible=visible,
            summary=matter.summary[:80] if visible else "",
            leapfrog=leapfrog,
        )
    return sorted(seen.values(), key=lambda c: (-c.score, -c.matter_id))[:MAX_CANDIDATES]
