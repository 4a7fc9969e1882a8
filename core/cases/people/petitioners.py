"""The petitioners of a registration: found by ID number or made new, with the matter's number.

A registration needs three things from the database before it can write the matter: the next
value of the matter's number counter, the persons already on file under the ID numbers given,
and ids for the persons who are new. On PostgreSQL the three come back from one statement (the
counter's ``UPDATE … RETURNING``, the look-up and ``nextval`` as one query), and the new persons'
rows are then written in the matter's own statement (``core.direct_writes.insert_family``): a
registration costs the same round trips whether its petitioners are known or not. On SQLite
(in-process, no round trips) they are separate statements and new persons are written at once.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from core.cases.models import Person
from core.cases.models import Sequence as Counter
from core.cases.people.idcard import normalise
from core.cases.people.pinyin import pinyin_key
from core.cases.records.numbering import next_value
from core.db import utcnow
from core.direct_writes import Update, compiled_sql, insert_row, on_driver

if TYPE_CHECKING:  # registration imports this module
    from core.cases.lifecycle.registration import PartyInput

_PERSONS = Person.__table__
_KNOWN_COLUMNS = ("id", "name", "mobile", "address", "region_code", "id_number")
#: Contact details the desk's latest entry replaces on a person already on file.
_CONTACT = ("mobile", "address", "region_code")

# SQLite: the look-up on its own (the earliest person of each ID number is the one kept), as
# driver SQL per count of numbers (SQLAlchemy re-renders an expanding IN on every execution).
_KNOWN_SQL = (
    f"SELECT {', '.join(_KNOWN_COLUMNS)} FROM {_PERSONS.name} "  # noqa: S608
    "WHERE id_number IN ({}) ORDER BY id"
)
_Known = namedtuple("_Known", _KNOWN_COLUMNS)
# PostgreSQL: counter, look-up and new ids in one statement. A data-modifying CTE runs whether
# or not the query reads it; each branch is tagged so the rows can be told apart. The numbers
# reach the look-up through ``ARRAY(SELECT unnest(…))``, which the planner cannot see into: with
# the array itself it priced the plan made for the values given (one number) below the prepared
# statement's plan for any array, and so planned the statement afresh on every registration
# (~0.4 ms, more than running it).
_columns = ", ".join(_KNOWN_COLUMNS)
_FIRST_READ = text(
    f"""WITH serial AS (
    UPDATE {Counter.__tablename__} SET value = value + 1 WHERE key = :counter RETURNING value),
known AS (
    SELECT DISTINCT ON (id_number) {_columns} FROM {_PERSONS.name}
    WHERE id_number = ANY(ARRAY(SELECT unnest(CAST(:numbers AS varchar[]))))
    ORDER BY id_number, id)
SELECT 'serial' AS what, value AS id, NULL AS name, NULL AS mobile, NULL AS address,
    NULL AS region_code, NULL AS id_number FROM serial
UNION ALL SELECT 'known', {_columns} FROM known
UNION ALL SELECT 'new', nextval(pg_get_serial_sequence('{_PERSONS.name}', 'id')),
    NULL, NULL, NULL, NULL, NULL
FROM generate_series(1, :wanted - (SELECT count(*) FROM known))"""  # noqa: S608
)
del _columns


@dataclass
class Identity:
    """What the search index keeps of a petitioner."""

    name: str
    id_number: str | None
    mobile: str | None


@dataclass
class Petitioners:
    """What a registration writes for its petitioners, with its matter number's serial."""

    serial: int
    #: ``core_matter_party`` rows, without the matter's id.
    parties: list[dict[str, Any]] = field(default_factory=list)
    #: The persons as the search index keeps them, one per party.
    identities: list[Identity] = field(default_factory=list)
    #: New ``core_person`` rows (their ids drawn already) to write with the matter.
    new_people: list[dict[str, Any]] = field(default_factory=list)
    #: Known persons' new contact details, written with the matter.
    updates: list[Update] = field(default_factory=list)
    #: Remarks for the timeline (a name that differs from the one on file).
    notes: list[str] = field(default_factory=list)


def petitioners(conn: Connection, parties: Sequence[PartyInput], counter: str) -> Petitioners:
    """Draw the next value of ``counter`` and find or make the person of each of ``parties``.

    A person is found by ID number; a name that differs from the one on file keeps the record
    (noted for the desk), and newer contact details replace the old ones. Parties without an
    ID number are always new persons; two parties with the same ID number are the same person.
    """
    numbers = [normalise(p.id_number) if p.id_number else None for p in parties]
    distinct = list(dict.fromkeys(n for n in numbers if n))
    drawn: Iterator[int] | None = None
    if conn.dialect.name == "postgresql":
        wanted = len(distinct) + sum(1 for n in numbers if not n)
        from psycopg.rows import namedtuple_row

        params = {"counter": counter, "numbers": distinct, "wanted": wanted}
        rows = on_driver(
            conn, compiled_sql(conn, _FIRST_READ), params, row_factory=namedtuple_row
        ).fetchall()
        serial = next((r.id for r in rows if r.what == "serial"), None)
        known = {r.id_number: r for r in rows if r.what == "known"}
        drawn = iter([r.id for r in rows if r.what == "new"])
    else:
        serial = next_value(counter, conn)
        known = {}
        if distinct:
            sql = _KNOWN_SQL.format(", ".join("?" * len(distinct)))
            for values in on_driver(conn, sql, distinct).fetchall():
                row = _Known(*values)
                known.setdefault(row.id_number, row)
    out = Petitioners(serial if serial is not None else next_value(counter, conn))
    has_lead = any(p.is_lead for p in parties)
    seen: dict[str, tuple[int, Identity]] = {}
    for i, (p, number) in enumerate(zip(parties, numbers, strict=True)):
        if number in seen:
            person_id, identity = seen[number]
        else:
            person_id, identity = _person(conn, p, number, known.get(number), drawn, out)
            if number:
                seen[number] = (person_id, identity)
        out.identities.append(identity)
        out.parties.append(
            {
                "person_id": person_id,
                "is_lead": p.is_lead or (not has_lead and i == 0),
                "is_representative": p.is_representative,
            }
        )
    return out


def _person(
    conn: Connection,
    p: PartyInput,
    number: str | None,
    row: Any,
    drawn: Iterator[int] | None,
    out: Petitioners,
) -> tuple[int, Identity]:
    """The id of the person of ``p`` (``row``: on file under ``number``) and their identity."""
    name = p.name.strip()
    # The desk's latest contact details win: people move and change phones.
    contact = {
        key: value.strip() for key in _CONTACT if (value := getattr(p, key)) and value.strip()
    }
    if row is None:
        person = {
            "kind": p.kind,
            "name": name,
            # The mapper's pinyin hook does not run for a Core insert: keep the key here.
            "name_pinyin": pinyin_key(name) or None,
            "id_type": p.id_type,
            "id_number": number,
            # Every contact column, set or not: the new rows of a matter are written together.
            **{key: contact.get(key) for key in _CONTACT},
        }
        if drawn is None:
            person_id = insert_row(conn, _PERSONS, person)
        else:
            person_id = next(drawn)
            out.new_people.append({"id": person_id, **person})
        return person_id, Identity(name, number, contact.get("mobile"))
    if row.name != name:
        # The ID number identifies the person; a differently typed name must not rename them
        # on every earlier matter in every agency. Keep the record and ask the desk to check.
        out.notes.append(
            f"登记的姓名“{name}”与身份证号码 {number[:6]}… 的既有记录“{row.name}”"
            "不一致，已按既有记录登记，请核对证件。"
        )
    changed = {key: value for key, value in contact.items() if getattr(row, key) != value}
    if changed:
        # The version moves on, so an edit of this person open in another page is refused.
        out.updates.append(
            Update(_PERSONS, row.id, changed | {"updated_at": utcnow()}, increment=("version",))
        )
    return row.id, Identity(row.name, number, contact.get("mobile", row.mobile))
