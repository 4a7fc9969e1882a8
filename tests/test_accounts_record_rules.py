"""Record rules and masking through every output of a module: page, list, CSV export and API.

The notebook test module (tests/sample_modules/notebook) stands in for any module: its views use
only ``core.api`` (``get_visible_or_404``, ``present``, the ``personal`` filter), so what holds
here holds for every module that follows the same rules.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from core.accounts.masking import mask
from tests.accounts_support import audit_actions, text, user_row

# title → (agency code, person, phone, id number)
NOTES = {
    "信访局记事": ("XFJ", "赵一民", "13700001234", "110101197001011230"),
    "住建记事": ("CJJ", "张三丰", "13812345678", "110101199003071234"),
    "城关镇记事": ("TOWN", "李四光", "13900001111", "11010119800101111X"),
    "社区记事": ("COMM", "王五福", "13600002222", "110101198502022222"),
    "邻县记事": ("OTHER", "孙六顺", "13500003333", "110101199912123333"),
}
WELCOME = "欢迎使用记事本"  # the notebook's seed note, in the first agency (ROOT)
UNDER_ROOT = {WELCOME, "信访局记事", "住建记事", "城关镇记事", "社区记事"}
EVERYTHING = {*UNDER_ROOT, "邻县记事"}

VISIBLE = {
    "handler": {"住建记事"},  # CJJ
    "town_handler": {"城关镇记事", "社区记事"},  # TOWN and its community
    "supervisor": UNDER_ROOT,  # core.records.bureau: the whole county, not the neighbour
    "auditor": EVERYTHING,  # core.records.all
}


@dataclass
class Notebook:
    ids: dict[str, int]  # title → id
    tokens: dict[str, str]  # username → API token


def grant(role_code: str, *permissions: str) -> None:
    from core.accounts.models import Permission, Role
    from core.extensions import db

    role = db.session.execute(select(Role).where(Role.code == role_code)).scalar_one()
    for name in permissions:
        perm = db.session.execute(select(Permission).where(Permission.name == name)).scalar_one()
        if perm not in role.permissions:
            role.permissions.append(perm)


def revoke(role_code: str, permission: str) -> None:
    from core.accounts.models import Role
    from core.extensions import db

    role = db.session.execute(select(Role).where(Role.code == role_code)).scalar_one()
    role.permissions = [p for p in role.permissions if p.name != permission]


@pytest.fixture
def notebook(app) -> Notebook:
    """The notebook module installed, a note in five agencies, API tokens for four users."""
    from core.accounts.models import Agency
    from core.accounts.session import issue_token
    from core.extensions import db
    from core.registry.installer import install
    from tests.sample_modules.notebook.models import Note
    from tests.sample_modules.notebook.services import create_note

    with app.app_context():
        install(["notebook"])
        agencies = {a.code: a.id for a in db.session.execute(select(Agency)).scalars()}
        for title, (code, person, phone, id_number) in NOTES.items():
            create_note(agencies[code], title, person, phone, id_number)
        # supervisor and auditor do not read notes by default; case handlers do.
        for role in ("supervisor", "auditor"):
            grant(role, "notebook.view")
        for role in ("case_handler", "supervisor", "auditor"):
            grant(role, "core.api.use")
        tokens = {u: issue_token(user_row(u), "测试") for u in VISIBLE}
        db.session.commit()
        ids = {title: id_ for title, id_ in db.session.execute(select(Note.title, Note.id))}
    return Notebook(ids=ids, tokens=tokens)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csv_rows(resp) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text(resp))))


def test_each_user_reads_lists_exports_and_fetches_only_visible_notes(app, notebook, as_user):
    for username, visible in VISIBLE.items():
        check_visibility(app, notebook, as_user(username), username, visible)


def check_visibility(app, notebook: Notebook, web, username: str, visible: set[str]) -> None:
    hidden = EVERYTHING - visible
    api = app.test_client()
    headers = bearer(notebook.tokens[username])

    page = text(web.get("/notebook/"))
    assert {t for t in EVERYTHING if t in page} == visible, username

    exported = csv_rows(web.get("/notebook/export.csv"))
    assert {row["title"] for row in exported} == visible, username

    listed = api.get("/api/v1/notebook/notes", headers=headers)
    assert listed.status_code == 200
    assert {item["title"] for item in listed.get_json()["items"]} == visible, username

    for title in visible:
        note_id = notebook.ids[title]
        assert web.get(f"/notebook/{note_id}").status_code == 200
        fetched = api.get(f"/api/v1/notebook/notes/{note_id}", headers=headers)
        assert fetched.get_json()["title"] == title
    for title in hidden:
        note_id = notebook.ids[title]
        assert web.get(f"/notebook/{note_id}").status_code == 404, (username, title)
        fetched = api.get(f"/api/v1/notebook/notes/{note_id}", headers=headers)
        assert fetched.status_code == 404
        assert fetched.get_json()["error"]["code"] == 404


def test_agencies_granted_to_a_user_widen_what_they_see(app, notebook, as_user):
    from core.accounts.models import Agency
    from core.extensions import db

    with app.app_context():
        handler = user_row("handler")
        comm = db.session.execute(select(Agency).where(Agency.code == "COMM")).scalar_one()
        handler.extra_agencies = [comm]
        db.session.commit()

    exported = csv_rows(as_user("handler").get("/notebook/export.csv"))
    assert {row["title"] for row in exported} == {"住建记事", "社区记事"}


def test_a_user_without_an_agency_sees_nothing(app, notebook, as_user):
    with app.app_context():
        handler = user_row("handler")
        handler.agency_id = None
        from core.extensions import db

        db.session.commit()
    assert csv_rows(as_user("handler").get("/notebook/export.csv")) == []


def test_record_rules_hold_for_every_kind_of_query(app, notebook):
    """Counts, column selects, pagination and ``Session.get`` are filtered too."""
    from core.accounts.actor import acting_as
    from core.extensions import db
    from core.web.http import paginate
    from tests.sample_modules.notebook.models import Note

    with app.app_context():
        all_ids = set(notebook.ids.values())
        handler = user_row("handler")
        with acting_as(handler):
            assert db.session.execute(select(func.count()).select_from(Note)).scalar_one() == 1
            assert list(db.session.execute(select(Note.title)).scalars()) == ["住建记事"]
            page = paginate(select(Note).order_by(Note.id))
            assert (page.total, [n.title for n in page.items]) == (1, ["住建记事"])
            # Not in the identity map, so Session.get asks the database, with the rule.
            assert db.session.get(Note, notebook.ids["城关镇记事"]) is None
        # The same compiled statements, another user: the rule's values are not cached.
        with acting_as(user_row("town_handler")):
            titles = set(db.session.execute(select(Note.title)).scalars())
            assert titles == {"城关镇记事", "社区记事"}
        # The system (CLI, jobs) is not restricted.
        assert set(db.session.execute(select(Note.id)).scalars()) == all_ids


def test_a_record_written_for_another_agency_can_still_be_used_by_its_writer(app, notebook):
    """After a commit the ORM reloads the object it holds; that reload must not fail."""
    from core.accounts.actor import acting_as
    from core.accounts.models import Agency
    from core.extensions import db
    from tests.sample_modules.notebook.services import create_note

    with app.app_context():
        other = db.session.execute(select(Agency).where(Agency.code == "OTHER")).scalar_one()
        with acting_as(user_row("handler")):
            note = create_note(other.id, "转给邻县")  # commits: every attribute expires
            assert note.title == "转给邻县"


# --- masking ----------------------------------------------------------------------------------

CLEAR = {v for _, *personal in NOTES.values() for v in personal}


def json_text(resp) -> str:
    # Decoded, so Chinese values are compared as characters, not as \\u escapes.
    assert resp.status_code == 200
    return json.dumps(resp.get_json(), ensure_ascii=False)


def outputs(app, web, token: str, ids: dict[str, int]) -> dict[str, str]:
    """Every output of the notebook, as text: page, detail, CSV, API list and detail."""
    api = app.test_client()
    out = {
        "list": text(web.get("/notebook/")),
        "csv": text(web.get("/notebook/export.csv")),
        "api-list": json_text(api.get("/api/v1/notebook/notes", headers=bearer(token))),
    }
    for title, note_id in ids.items():
        out[f"detail {title}"] = text(web.get(f"/notebook/{note_id}"))
        out[f"api {title}"] = json_text(
            api.get(f"/api/v1/notebook/notes/{note_id}", headers=bearer(token))
        )
    return out


def test_personal_fields_stay_masked_everywhere_without_the_permission(app, notebook, as_user):
    # The auditor sees every record (core.records.all) but not personal data.
    with app.app_context():
        assert "core.personal_data.view" not in user_row("auditor").permission_names()

    seen = outputs(app, as_user("auditor"), notebook.tokens["auditor"], notebook.ids)

    for where, body in seen.items():
        leaked = {value for value in CLEAR if value in body}
        assert not leaked, f"{where} shows {leaked}"
    everything = "".join(seen.values())
    assert "张＊＊" in everything
    assert "138＊＊＊＊5678" in everything
    assert "110＊＊＊＊＊＊＊＊＊＊＊1234" in everything
    for title in NOTES:  # masked, not missing
        assert '"phone": "1' in seen[f"api {title}"]
    with app.app_context():
        assert audit_actions("personal_data.view") == []


def test_personal_fields_are_clear_and_audited_with_the_permission(app, notebook, as_user):
    with app.app_context():
        assert "core.personal_data.view" in user_row("handler").permission_names()
    note_id = notebook.ids["住建记事"]
    clear = set(NOTES["住建记事"][1:])

    seen = outputs(app, as_user("handler"), notebook.tokens["handler"], {"住建记事": note_id})

    for where, body in seen.items():
        assert clear <= {v for v in clear if v in body}, where
    with app.app_context():
        events = audit_actions("personal_data.view")
        assert len(events) == len(seen)  # one per request that showed clear data
        assert {e.username for e in events} == {"handler"}
        assert {
            f"Note/{note_id}/person",
            f"Note/{note_id}/phone",
            f"Note/{note_id}/id_number",
        } <= set(events[0].detail["items"])


def test_taking_the_permission_away_masks_again(app, notebook, as_user):
    with app.app_context():
        from core.extensions import db

        revoke("case_handler", "core.personal_data.view")
        db.session.commit()

    seen = outputs(app, as_user("handler"), notebook.tokens["handler"], {})

    for where, body in seen.items():
        assert "13812345678" not in body, where
        assert "138＊＊＊＊5678" in body, where


def test_api_refuses_tokens_without_the_api_permission_or_of_deactivated_users(app, notebook):
    from core.accounts.services import set_active
    from core.extensions import db

    api = app.test_client()
    with app.app_context():
        revoke("auditor", "core.api.use")
        db.session.commit()
    resp = api.get("/api/v1/notebook/notes", headers=bearer(notebook.tokens["auditor"]))
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == 401

    with app.app_context():
        set_active(user_row("handler"), False)
    resp = api.get("/api/v1/notebook/notes", headers=bearer(notebook.tokens["handler"]))
    assert resp.status_code == 401
    resp = api.get("/api/v1/notebook/notes", headers=bearer("not-a-token"))
    assert resp.status_code == 401


def test_mask_keeps_only_what_identifies_nobody():
    assert mask("110101199003071234", "id_number") == "110＊＊＊＊＊＊＊＊＊＊＊1234"
    assert mask("13812345678", "phone") == "138＊＊＊＊5678"
    assert mask("张三丰", "name") == "张＊＊"
    assert mask("辽宁省沈阳市沈河区大东路1号", "address") == "辽宁省沈阳市＊＊＊＊"
    assert mask("anything", "other") == "＊" * 6
    assert mask("", "phone") == mask(None, "phone") == ""
    assert "1234" not in mask("1234", "phone")
    assert "12345678" not in mask("12345678", "id_number")
