"""Admin forms saved by two people at once: the second gets 409, sees what differs, keeps
what they typed, nothing of theirs is written, and sending the kept form again goes through."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.accounts_support import (
    audit_actions,
    form_version,
    selected,
    text,
    user_form,
    user_row,
)

STALE = "该记录已被他人修改，您的修改未保存：请对照他人的修改，确认下方保留的内容后再提交"


def token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def stale_rows(html: str) -> dict[str, tuple[str, str]]:
    """The stale panel's rows: label → (the record now, what was typed)."""
    panel = html[html.index('id="stale"') :]
    panel = panel[: panel.index("</table>")]
    rows = re.findall(
        r'<th scope="row">([^<]*)</th><td class="pre">([^<]*)</td><td class="pre">([^<]*)</td>',
        panel,
    )
    return {label: (now, typed) for label, now, typed in rows}


def input_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)


def by_code(model, code: str):
    from core.extensions import db

    return db.session.execute(select(model).where(model.code == code)).scalar_one()


# --- users -------------------------------------------------------------------------------------


def test_user_edit_second_saver_sees_the_difference_and_keeps_what_they_typed(app, as_user):
    from core.accounts.models import Agency, Role

    first, second = as_user("admin"), as_user("admin")
    with app.app_context():
        url = f"/admin/users/{user_row('handler').id}"
        town, old_agency = by_code(Agency, "TOWN"), user_row("handler").agency
        town_id, town_name, old_agency_name = town.id, town.name, old_agency.name
        supervisor = by_code(Role, "supervisor").id
    html_first, html_second = text(first.get(url)), text(second.get(url))
    assert first.post(url, data=user_form(html_first, agency_id=town_id)).status_code == 302

    typed = user_form(html_second, display_name="第二人改的名字")
    typed["role_ids"] = [*typed["role_ids"], str(supervisor)]
    resp = second.post(url, data=typed)

    assert resp.status_code == 409
    page = text(resp)
    assert STALE in page
    rows = stale_rows(page)
    assert rows["所属机构"] == (town_name, old_agency_name)  # what the first person changed
    assert rows["姓名"] == ("住建承办人", "第二人改的名字")
    assert rows["角色"] == ("承办人", "承办人、信访局督查员")
    assert set(rows) == {"所属机构", "姓名", "角色"}  # the fields that agree are not listed
    assert "admin" in page[page.index('id="stale"') :].split("</table>")[0]  # who saved last
    # The form keeps what was typed, at the version now shown.
    assert input_value(page, "display_name") == "第二人改的名字"
    assert str(supervisor) in selected(page, "role_ids")
    with app.app_context():
        handler = user_row("handler")
        assert handler.display_name == "住建承办人"
        assert handler.agency.code == "TOWN"
        assert [r.code for r in handler.roles] == ["case_handler"]
        assert len(audit_actions("user.update")) == 1
        assert form_version(page) == str(handler.version)

    again = second.post(url, data=user_form(page))
    assert again.status_code == 302
    with app.app_context():
        handler = user_row("handler")
        assert handler.display_name == "第二人改的名字"
        assert sorted(r.code for r in handler.roles) == ["case_handler", "supervisor"]
        assert handler.agency.name == old_agency_name  # the kept form said so, and was shown


# --- agencies ----------------------------------------------------------------------------------


def agency_form(html: str, **values) -> dict:
    """The agency edit form as rendered (typed values included), with ``values`` changed."""
    data = {
        "csrf_token": token(html),
        "version": form_version(html),
        "code": input_value(html, "code"),
        "name": input_value(html, "name"),
        "level": re.search(r'id="level"[^>]*>.*?<option selected value="(\w+)"', html, re.S).group(
            1
        ),
        "region_code": input_value(html, "region_code"),
        "parent_id": selected(html, "parent_id")[0],
    }
    data.update(values)
    return data


def test_agency_edit_second_saver_sees_the_difference_and_keeps_what_they_typed(app, as_user):
    from core.accounts.models import Agency

    first, second = as_user("admin"), as_user("admin")
    with app.app_context():
        cjj = by_code(Agency, "CJJ")
        url, old_name = f"/admin/agencies/{cjj.id}", cjj.name
    html_first, html_second = text(first.get(url)), text(second.get(url))
    assert first.post(url, data=agency_form(html_first, name="住建局")).status_code == 302

    resp = second.post(
        url, data=agency_form(html_second, name="县住房和城乡建设局", region_code="330106")
    )

    assert resp.status_code == 409
    page = text(resp)
    assert STALE in page
    rows = stale_rows(page)
    assert rows["机构名称"] == ("住建局", "县住房和城乡建设局")
    assert rows["行政区划代码"][1] == "330106"
    assert set(rows) == {"机构名称", "行政区划代码"}
    assert input_value(page, "name") == "县住房和城乡建设局"
    assert input_value(page, "region_code") == "330106"
    with app.app_context():
        cjj = by_code(Agency, "CJJ")
        assert (cjj.name, cjj.region_code) == ("住建局", rows["行政区划代码"][0] or None)
        assert len(audit_actions("agency.update")) == 1
        assert form_version(page) == str(cjj.version)
    assert old_name != "住建局"

    again = second.post(url, data=agency_form(page))
    assert again.status_code == 302
    with app.app_context():
        cjj = by_code(Agency, "CJJ")
        assert (cjj.name, cjj.region_code) == ("县住房和城乡建设局", "330106")


# --- the role × permission matrix --------------------------------------------------------------


def matrix_form(html: str) -> dict:
    """The matrix as rendered: the ticked boxes and each role's version."""
    data: dict = {"csrf_token": token(html)}
    data |= dict.fromkeys(re.findall(r'name="(g-\d+-\d+)"[^>]*checked', html), "on")
    data |= dict(re.findall(r'name="(v-\d+)" value="(\d+)"', html))
    return data


def names(role) -> set[str]:
    return {p.name for p in role.permissions}


def test_role_matrix_second_saver_sees_the_difference_and_keeps_what_they_ticked(app, as_user):
    from core.accounts.models import Permission, Role
    from core.extensions import db

    first, second = as_user("admin"), as_user("admin")
    with app.app_context():
        leader, handler = by_code(Role, "leader"), by_code(Role, "case_handler")
        leader_id, handler_id, leader_name = leader.id, handler.id, leader.name
        perms = {p.name: p.id for p in db.session.execute(select(Permission)).scalars()}
    api_use = f"g-{leader_id}-{perms['core.api.use']}"
    personal = f"g-{handler_id}-{perms['core.personal_data.view']}"
    html_first, html_second = text(first.get("/admin/roles")), text(second.get("/admin/roles"))
    assert personal in matrix_form(html_second) and api_use not in matrix_form(html_second)
    assert (
        first.post("/admin/roles", data=matrix_form(html_first) | {api_use: "on"}).status_code
        == 302
    )

    typed = matrix_form(html_second)
    del typed[personal]
    resp = second.post("/admin/roles", data=typed)

    assert resp.status_code == 409
    page = text(resp)
    assert STALE in page
    # The leader's new permission is shown as the other person's change; the handler's role
    # (not changed by anyone else) is not listed.
    assert stale_rows(page) == {leader_name: ("core.api.use", "—")}
    kept = matrix_form(page)
    assert personal not in kept and api_use not in kept  # the boxes as this user ticked them
    with app.app_context():
        assert "core.personal_data.view" in {
            p.name for p in db.session.get(Role, handler_id).permissions
        }
        assert "core.api.use" in {p.name for p in db.session.get(Role, leader_id).permissions}
        assert len(audit_actions("role.permissions")) == 1
        assert kept[f"v-{leader_id}"] == str(db.session.get(Role, leader_id).version)

    again = second.post("/admin/roles", data=kept)
    assert again.status_code == 302
    with app.app_context():
        assert "core.personal_data.view" not in names(db.session.get(Role, handler_id))
        assert "core.api.use" not in names(db.session.get(Role, leader_id))
