from sqlalchemy import select

from core.api import Agency, db, record_audit

from .models import Note


def seed() -> None:
    # Seed data goes to the first agency, once; administrators may edit or delete it later.
    agency = db.session.execute(select(Agency).order_by(Agency.id)).scalars().first()
    if agency is not None:
        db.session.add(Note(title="欢迎使用记事本", agency_id=agency.id))


def create_note(
    agency_id: int, title: str, person: str = "", phone: str = "", id_number: str = ""
) -> Note:
    note = Note(agency_id=agency_id, title=title, person=person, phone=phone, id_number=id_number)
    db.session.add(note)
    db.session.flush()
    record_audit("notebook.create", note, summary=f"新建记事 {title}")
    db.session.commit()
    return note


def list_notes() -> list[Note]:
    return list(db.session.execute(select(Note).order_by(Note.id)).scalars())
