"""The administration pages: users, the role × permission matrix, agencies; who may use them."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.accounts_support import (
    audit_actions,
    csrf_token,
    form_version,
    login,
    post_form,
    text,
    user_form,
    user_row,
)


def ids_by_code(model) -> dict[str, int]:
    from core.extensions import db

    return {row.code: row.id for row in db.session.execute(select(model)).scalars()}


def agency(code: str):
    from core.accounts.models import Agency
    from core.extensions import db

    return db.session.execute(select(Agency).where(Agency.code == code)).scalar_one()


# --- who may use the pages --------------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/users",
    "/admin/users/1",
    "/admin/roles",
    "/admin/agencies",
    "/admin/directory",
]


def test_admin_pages_refuse_other_users_and_send_strangers_to_login(app, as_user):
    for username in ("nobody", "handler", "supervisor"):
        client = as_user(username)
        for url in ADMIN_PAGES:
            assert client.get(url).status_code == 403, (username, url)
        token = csrf_token(client, "/me")
        for url in ["/admin/users/new", "/admin/users/1", "/admin/roles", "/admin/agencies"]:
            resp = client.post(url, data={"csrf_token": token, "username": "x"})
            assert resp.status_code == 403, (username, url)
    stranger = app.test_client()
    for url in ADMIN_PAGES:
        resp = stranger.get(url)
        assert resp.status_code == 302
        assert resp.headers["Location"].startswith("/login?next=")
    with app.app_context():
        assert user_row("x") is None


# --- users ------------------------------------------------------------------------------------


def test_users_search_by_name_or_login(app, as_user):
    admin = as_user("admin")

    page = text(admin.get("/admin/users", query_string={"q": "承办"}))
    assert "住建承办人" in page and "镇承办人" in page
    assert "登记员小张" not in page

    page = text(admin.get("/admin/users", query_string={"q": "CLERK"}))
    assert "登记员小张" in page and "住建承办人" not in page

    # LIKE wildcards typed in the box are plain characters.
    for q in ["%", "c_e", "\\"]:
        page = text(admin.get("/admin/users", query_string={"q": q}))
        assert "登记员小张" not in page, q
        assert "共 0 条" in page, q


def test_user_edit_changes_roles_agency_and_ends_the_users_sessions(app, as_user):
    from core.accounts.models import Role

    handler_session = as_user("handler")
    admin = as_user("admin")
    with app.app_context():
        roles = ids_by_code(Role)
        handler = user_row("handler")
        url = f"/admin/users/{handler.id}"
        town = agency("TOWN").id
    html = text(admin.get(url))

    resp = admin.post(
        url,
        data=user_form(
            html,
            display_name="住建承办人（调镇）",
            agency_id=town,
            role_ids=[roles["case_handler"], roles["leader"]],
        ),
    )

    assert resp.status_code == 302
    with app.app_context():
        handler = user_row("handler")
        assert handler.display_name == "住建承办人（调镇）"
        assert handler.agency.code == "TOWN"
        assert sorted(r.code for r in handler.roles) == ["case_handler", "leader"]
        [event] = audit_actions("user.update")
        assert event.detail["before"]["roles"] == ["case_handler"]
        assert event.detail["after"]["roles"] == ["case_handler", "leader"]
    assert handler_session.get("/").status_code == 302  # rights changed: log in again


def test_two_edits_from_the_same_version_the_second_is_refused_and_nothing_is_lost(app, as_user):
    from core.accounts.models import Role

    first, second = as_user("admin"), as_user("admin")
    with app.app_context():
        roles = ids_by_code(Role)
        url = f"/admin/users/{user_row('handler').id}"
        town = agency("TOWN").id
    html_first, html_second = text(first.get(url)), text(second.get(url))
    assert form_version(html_first) == form_version(html_second)

    resp = first.post(url, data=user_form(html_first, agency_id=town))
    assert resp.status_code == 302

    resp = second.post(
        url,
        data=user_form(
            html_second,
            display_name="第二人改的名字",
            role_ids=[roles["case_handler"], roles["supervisor"]],
        ),
    )

    assert resp.status_code == 409
    page = text(resp)
    assert "您的修改未保存" in page
    assert "第二人改的名字" in page  # the second person's input is still on the form
    with app.app_context():
        handler = user_row("handler")
        assert handler.agency.code == "TOWN"  # the first edit stands
        assert handler.display_name == "住建承办人"
        assert [r.code for r in handler.roles] == ["case_handler"]
        assert len(audit_actions("user.update")) == 1

    # Reloading gives the current version, and then the edit goes through.
    html = text(second.get(url))
    resp = second.post(url, data=user_form(html, display_name="第二人改的名字"))
    assert resp.status_code == 302


def test_deactivating_a_user_ends_their_session_and_refuses_their_login(app, as_user):
    handler_session = as_user("handler")
    assert handler_session.get("/").status_code == 200
    admin = as_user("admin")
    with app.app_context():
        url = f"/admin/users/{user_row('handler').id}"
    form = user_form(text(admin.get(url)))
    del form["active"]  # an unticked checkbox is not sent

    assert admin.post(url, data=form).status_code == 302

    assert handler_session.get("/").status_code == 302
    resp = login(app.test_client(), "handler")
    assert resp.status_code == 401
    assert "已停用" in text(resp)
    with app.app_context():
        assert user_row("handler").active is False


def test_administrators_cannot_deactivate_themselves(app, as_user):
    admin = as_user("admin")
    with app.app_context():
        url = f"/admin/users/{user_row('admin').id}"
    form = user_form(text(admin.get(url)))
    del form["active"]

    resp = admin.post(url, data=form)

    assert resp.status_code == 422
    assert "不能停用自己" in text(resp)

    resp = admin.post(url, data=user_form(text(admin.get(url)), role_ids=[]))

    assert resp.status_code == 422
    assert "不能取消自己的用户管理权限" in text(resp)
    assert admin.get("/admin/users").status_code == 200
    with app.app_context():
        admin_user = user_row("admin")
        assert admin_user.active
        assert [r.code for r in admin_user.roles] == ["admin"]


def test_local_users_must_choose_a_password_the_policy_accepts(app, as_user):
    admin = as_user("admin")
    cases = {
        "Short-1!": "至少 10 位",
        "alllowercaseletters": "至少三类",
        "Newuser-2026!": "不能包含用户名",
    }
    for password, message in cases.items():
        resp = post_form(
            admin,
            "/admin/users/new",
            {"username": "newuser", "display_name": "新同事", "password": password, "agency_id": 0},
            token_from="/admin/users",
        )
        assert resp.status_code == 422, password
        assert message in text(resp), password

    resp = post_form(
        admin,
        "/admin/users/new",
        {"username": "CLERK", "display_name": "重名", "password": "Good-Pass-2026", "agency_id": 0},
        token_from="/admin/users",
    )
    assert resp.status_code == 422
    assert "已存在" in text(resp)

    resp = post_form(
        admin,
        "/admin/users/new",
        {
            "username": "newuser",
            "display_name": "新同事",
            "password": "Good-Pass-2026",
            "agency_id": 0,
        },
        token_from="/admin/users",
    )
    assert resp.status_code == 302
    assert login(app.test_client(), "newuser", "Good-Pass-2026").status_code == 302
    with app.app_context():
        user = user_row("newuser")
        assert user.source == "local"
        assert user.password_hash.startswith("$argon2id$")
        assert audit_actions("user.create")[0].object_id == str(user.id)


# --- roles × permissions ----------------------------------------------------------------------


def test_role_permission_matrix_saves_and_audits_each_changed_role(app, as_user):
    from core.accounts.models import Permission, Role
    from core.extensions import db

    admin = as_user("admin")
    with app.app_context():
        roles = list(db.session.execute(select(Role)).scalars())
        perms = {p.name: p.id for p in db.session.execute(select(Permission)).scalars()}
        grants = {f"g-{r.id}-{p.id}" for r in roles for p in r.permissions}
        role_ids = {r.code: r.id for r in roles}
    page = text(admin.get("/admin/roles"))
    assert set(re.findall(r'name="(g-\d+-\d+)"[^>]*checked', page)) == grants
    grants.add(f"g-{role_ids['leader']}-{perms['core.api.use']}")
    grants.discard(f"g-{role_ids['case_handler']}-{perms['core.personal_data.view']}")

    resp = admin.post(
        "/admin/roles",
        data={"csrf_token": csrf_token(admin, "/admin/roles"), "g-x": "on", "g-1-2-3": "on"}
        | dict.fromkeys(grants, "on"),
    )

    assert resp.status_code == 302
    with app.app_context():
        leader = db.session.get(Role, role_ids["leader"])
        handler = db.session.get(Role, role_ids["case_handler"])
        assert "core.api.use" in {p.name for p in leader.permissions}
        assert "core.personal_data.view" not in {p.name for p in handler.permissions}
        events = {e.object_id: e.detail for e in audit_actions("role.permissions")}
        assert events == {
            str(role_ids["leader"]): {"added": ["core.api.use"], "removed": []},
            str(role_ids["case_handler"]): {"added": [], "removed": ["core.personal_data.view"]},
        }
        # Rights are read on every request: no need to log in again.
        assert "core.api.use" in user_row("leader").permission_names()


# --- agencies ---------------------------------------------------------------------------------


def agency_form(client, agency_id: int | None = None, **values) -> dict:
    url = f"/admin/agencies/{agency_id}" if agency_id else "/admin/agencies"
    html = text(client.get(url))
    data = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    }
    if agency_id:
        data["version"] = form_version(html)
    data.update(values)
    return data


def test_agency_create_and_move_a_subtree_keeps_paths_right(app, as_user):
    from core.accounts.actor import acting_as
    from core.accounts.record_rules import visible_agency_ids

    admin = as_user("admin")
    with app.app_context():
        root, cjj, town, comm = (agency(c) for c in ("ROOT", "CJJ", "TOWN", "COMM"))
        root_path, cjj_path = root.path, cjj.path
        town_id, comm_id = town.id, comm.id

    resp = admin.post(
        "/admin/agencies",
        data=agency_form(
            admin, code="NEWTOWN", name="新城镇", level="town", region_code="", parent_id=root.id
        ),
    )
    assert resp.status_code == 302
    with app.app_context():
        new = agency("NEWTOWN")
        assert new.path == f"{root_path}{new.id}/"

    resp = admin.post(
        f"/admin/agencies/{town_id}",
        data=agency_form(
            admin,
            town_id,
            code="TOWN",
            name="城关镇",
            level="town",
            region_code="",
            parent_id=cjj.id,
        ),
    )

    assert resp.status_code == 302
    with app.app_context():
        assert agency("TOWN").path == f"{cjj_path}{town_id}/"
        assert agency("COMM").path == f"{cjj_path}{town_id}/{comm_id}/"
        assert agency("COMM").parent.code == "TOWN"
        # Record rules follow the tree: the CJJ handler now sees the town and its community.
        with acting_as(user_row("handler")):
            assert {town_id, comm_id} <= visible_agency_ids(user_row("handler"))
        assert [e.object_id for e in audit_actions("agency.update")] == [str(town_id)]


def test_an_agency_cannot_move_under_itself_or_its_own_child(app, as_user):
    admin = as_user("admin")
    with app.app_context():
        town, comm = agency("TOWN"), agency("COMM")
        paths = (town.path, comm.path)
        town_id, comm_id = town.id, comm.id

    for parent in (comm_id, town_id):
        resp = admin.post(
            f"/admin/agencies/{town_id}",
            data=agency_form(
                admin, town_id, code="TOWN", name="城关镇", level="town", parent_id=parent
            ),
        )
        assert resp.status_code == 422
        assert "不能把机构移到它自己或它的下级机构之下" in text(resp)

    with app.app_context():
        assert (agency("TOWN").path, agency("COMM").path) == paths


def test_agency_code_clash_and_stale_edit_are_refused_with_a_message(app, as_user):
    admin = as_user("admin")
    with app.app_context():
        root_id, cjj_id = agency("ROOT").id, agency("CJJ").id

    resp = admin.post(
        "/admin/agencies",
        data=agency_form(
            admin, code="CJJ", name="另一个住建局", level="department", parent_id=root_id
        ),
    )
    assert resp.status_code == 422
    assert "已被 县住建局 使用" in text(resp)

    stale = agency_form(admin, cjj_id, code="CJJ", name="县住房和城乡建设局", level="department")
    stale["parent_id"] = root_id
    fresh = agency_form(admin, cjj_id, code="CJJ", name="住建局", level="department")
    fresh["parent_id"] = root_id
    assert admin.post(f"/admin/agencies/{cjj_id}", data=fresh).status_code == 302
    resp = admin.post(f"/admin/agencies/{cjj_id}", data=stale)
    assert resp.status_code == 409
    assert "您的修改未保存" in text(resp)
    with app.app_context():
        assert agency("CJJ").name == "住建局"
