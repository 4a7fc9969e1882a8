"""Exports: CSV streamed and Excel, through record rules, masking and sealing."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from core.cases.lifecycle.registration import PartyInput
from core.extensions import db
from tests.cases_support import agency, register, step

OTHER_ID = "110105194912310062"


def _seed(app):
    with app.app_context():
        a = register(received_on=date(2026, 4, 1), summary='=HYPERLINK("http://x") 拆迁补偿')
        step(a.id, "supervisor", "forward", on=date(2026, 4, 1), agency_id=agency("CJJ").id)
        b = register(
            received_on=date(2026, 4, 2),
            summary="举报住建局干部索贿",
            purpose="accusation",
            handling_type="accusation",
            complained_agency_id=agency("CJJ").id,
            parties=[PartyInput(name="钱举报", id_number=OTHER_ID, mobile="13700001234")],
        )
        step(b.id, "supervisor", "forward", on=date(2026, 4, 2), agency_id=agency("CJJ").id)
        c = register(received_on=date(2026, 4, 3), summary="镇里的事项")
        step(c.id, "supervisor", "forward", on=date(2026, 4, 3), agency_id=agency("TOWN").id)
        db.session.remove()


def _csv(client, query=""):
    resp = client.get(f"/cases/export.csv{query}")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return resp, list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_export_respects_rules_masking_and_sealing(app, as_user):
    _seed(app)
    # The supervisor (bureau-wide, personal data allowed) gets all three, names in clear.
    resp, rows = _csv(as_user("supervisor"))
    assert resp.headers["X-Total-Count"] == "3"
    assert rows[0][0] == "信访件编号"
    names = {r[5][:4]: r[4] for r in rows[1:]}
    assert "钱举报" in names.values() and "王大明" in names.values()
    # A formula-looking cell is neutralised for spreadsheet programs.
    assert any(r[5].startswith("'=HYPERLINK") for r in rows[1:])
    # The CJJ handler: only CJJ's two matters; the accuser of the matter against CJJ is sealed.
    _, rows = _csv(as_user("handler"))
    assert len(rows) == 3
    by_summary = {r[5]: r[4] for r in rows[1:]}
    assert by_summary["举报住建局干部索贿"] == "（已保密）"
    assert "钱举报" not in str(rows)
    # The CJJ leader sees the same matters but has no personal-data permission: masked.
    _, rows = _csv(as_user("cjj_leader"))
    lead = {r[5]: r[4] for r in rows[1:]}
    assert lead["举报住建局干部索贿"] == "（已保密）"
    plain = next(v for k, v in lead.items() if "拆迁" in k)
    assert plain != "王大明" and plain.startswith("王")
    # Filters apply.
    _, rows = _csv(as_user("supervisor"), "?q=索贿")
    assert [r[5] for r in rows[1:]] == ["举报住建局干部索贿"]
    assert as_user("nobody").get("/cases/export.csv").status_code == 403


def test_xlsx_export_opens_and_masks(app, as_user):
    _seed(app)
    resp = as_user("cjj_leader").get("/cases/export.xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data), read_only=True)
    values = [list(r) for r in wb.active.iter_rows(values_only=True)]
    assert values[0][0] == "信访件编号"
    assert len(values) == 3
    assert "王大明" not in str(values) and "钱举报" not in str(values)


def test_export_page_shows_count(app, as_user):
    _seed(app)
    page = as_user("supervisor").get("/cases/export?q=索贿").get_data(as_text=True)
    assert "1 条" in page
