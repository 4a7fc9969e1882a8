"""Repeat-petition detection: ID number, homophone names with phones, leapfrog, visibility."""

from datetime import date

from core.accounts.models import Agency
from core.cases.lifecycle.registration import PartyInput
from core.cases.people.pinyin import pinyin_key
from core.cases.search.repeats import find_candidates, similarity
from core.extensions import db
from tests.cases_support import VALID_ID, agency, as_, register, step


def test_pinyin_key_and_similarity():
    assert pinyin_key("张伟") == pinyin_key("章玮") == "zhang wei"
    assert pinyin_key("李娜") != pinyin_key("张伟")
    assert similarity("拆迁补偿款未到位", "拆迁补偿款没有到位") > 0.4
    assert similarity("拆迁补偿款未到位", "噪声扰民") == 0


def test_same_id_number_is_found_with_reason(app):
    with app.app_context():
        first = register(received_on=date(2026, 3, 2))
        with as_("clerk"):
            found = find_candidates(id_number=VALID_ID.lower(), text="拆迁补偿款未到位")
        assert [c.matter_id for c in found] == [first.id]
        assert "身份证号码相同" in found[0].reasons
        assert any("内容相似度" in r for r in found[0].reasons)
        assert found[0].visible and found[0].summary


def test_homophone_name_with_same_phone_is_found(app):
    with app.app_context():
        first = register(
            received_on=date(2026, 3, 2),
            parties=[PartyInput(name="张伟", mobile="13912345678")],
        )
        register(
            received_on=date(2026, 3, 3),
            summary="噪声扰民",
            parties=[PartyInput(name="张薇", mobile="13700009999")],
        )
        with as_("clerk"):
            found = find_candidates(name="章玮", mobile="13912345678", text="拆迁补偿")
            assert [c.matter_id for c in found] == [first.id]
            assert "姓名同音（张伟）且手机号相同" in found[0].reasons
            # One digit mistyped still matches; a different number does not.
            assert [c.matter_id for c in find_candidates(name="张伟", mobile="13912345679")] == [
                first.id
            ]
            assert find_candidates(name="张伟", mobile="13100000000") == []
            assert find_candidates(name="李娜", mobile="13912345678") == []


def test_leapfrog_to_a_higher_level_is_flagged(app):
    with app.app_context():
        town = agency("TOWN")
        m = register(received_on=date(2026, 3, 2))
        step(m.id, "supervisor", "forward", on=date(2026, 3, 2), agency_id=town.id)
        root = db.session.get(Agency, town.parent_id)
        with as_("leader"):
            found = find_candidates(id_number=VALID_ID, agency=root)
        assert found[0].leapfrog
        assert any("条例第19条第3款" in r for r in found[0].reasons)


def test_candidate_in_an_agency_the_clerk_cannot_see_shows_no_content(app):
    with app.app_context():
        m = register(received_on=date(2026, 3, 2))
        with as_("town_handler"):  # TOWN cannot see an XFJ matter
            found = find_candidates(id_number=VALID_ID)
        assert [c.matter_id for c in found] == [m.id]
        assert not found[0].visible
        assert found[0].summary == ""


def test_registration_desk_gets_ranked_candidates_by_homophone(app, as_user):
    with app.app_context():
        first = register(
            received_on=date(2026, 3, 2),
            parties=[PartyInput(name="张伟", mobile="13912345678")],
        )
        step(first.id, "supervisor", "forward", on=date(2026, 3, 2), agency_id=agency("TOWN").id)
        number = first.number
        db.session.remove()
    clerk = as_user("clerk")
    data = clerk.get("/cases/history?name=章玮&mobile=13912345678&summary=拆迁补偿").get_json()
    assert data["matters"] == []
    [cand] = data["candidates"]
    assert cand["number"] == number
    assert "姓名同音（张伟）且手机号相同" in cand["reasons"]
    assert cand["url"] and cand["summary"]
    # Only registration desks ask (the CJJ handler has no registration right).
    assert as_user("handler").get("/cases/history?name=章玮&mobile=13912345678").status_code == 403
    assert clerk.get("/cases/history").status_code == 400
