"""The permission matrix, generated from the registered routes: every route of core and of every
module present has a rule here, and each answers by its rule to a caller who is not logged in
and to a logged-in user with no role. A route added without a rule fails
``test_every_registered_route_has_a_rule``; one that forgets its permission check fails the
no-role column.

Rules: ``PUBLIC`` (no login: the login page, the petitioners' pages, health, the API
document), ``USER`` (any logged-in user: the start page, the user's own page, logout) and
``ROLE`` (a permission: the no-role user gets 403; not logged in, pages send to the login page
and the API answers 401). Not yet here: each role against each route and a record of its own,
another or a parent agency (see the report of issue 22).
"""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from core.registry.installer import install
from tests.plugin import login, make_app

PUBLIC, USER, ROLE = "public", "user", "role"

RULES: dict[str, str] = {
    # core
    "core.agencies": ROLE,
    "core.api_matter": ROLE,
    "core.api_matters": ROLE,
    "core.api_openapi": PUBLIC,
    "core.api_queue": ROLE,
    "core.api_rate": ROLE,
    "core.api_register": ROLE,
    "core.api_search": ROLE,
    "core.api_transition": ROLE,
    "core.audit_log": ROLE,
    "core.calendar": ROLE,
    "core.change_my_password": USER,
    "core.directory_preview": ROLE,
    "core.export_csv": ROLE,
    "core.export_page": ROLE,
    "core.export_xlsx": ROLE,
    "core.healthz": PUBLIC,
    "core.home": USER,
    "core.login": PUBLIC,
    "core.logout": USER,
    "core.matter_action": ROLE,
    "core.matter_attachment": ROLE,
    "core.matter_history": ROLE,
    "core.matter_rate": ROLE,
    "core.matter_register": ROLE,
    "core.matter_search": ROLE,
    "core.matter_upload": ROLE,
    "core.matter_view": ROLE,
    "core.me": USER,
    "core.module_action": ROLE,
    "core.modules": ROLE,
    "core.queue": USER,
    "core.queue_counts": ROLE,
    "core.reminders": USER,
    "core.roles": ROLE,
    "core.set_language": PUBLIC,
    "core.user_create": ROLE,
    "core.user_edit": ROLE,
    "core.users": ROLE,
    # evaluation
    "evaluation.adjust": ROLE,
    "evaluation.assess": ROLE,
    "evaluation.bulletin": ROLE,
    "evaluation.compute": ROLE,
    "evaluation.dashboard": ROLE,
    "evaluation.department": ROLE,
    "evaluation.drill": ROLE,
    "evaluation.drill_matters": ROLE,
    "evaluation.edit_scheme": ROLE,
    "evaluation.new_period": ROLE,
    "evaluation.period": ROLE,
    "evaluation.period_charts": ROLE,
    "evaluation.periods": ROLE,
    "evaluation.publish": ROLE,
    "evaluation.publish_bulletin": ROLE,
    "evaluation.review": ROLE,
    "evaluation.scheme": ROLE,
    # hearings
    "hearings.accept": ROLE,
    "hearings.api_apply": ROLE,
    "hearings.api_hearing": ROLE,
    "hearings.api_hearings": ROLE,
    "hearings.api_matter_hearings": ROLE,
    "hearings.application": ROLE,
    "hearings.apply_form": ROLE,
    "hearings.assess": ROLE,
    "hearings.assessment": ROLE,
    "hearings.assessments": ROLE,
    "hearings.calendar": ROLE,
    "hearings.cancel": ROLE,
    "hearings.conclude": ROLE,
    "hearings.decide": ROLE,
    "hearings.detail": ROLE,
    "hearings.index": ROLE,
    "hearings.new": ROLE,
    "hearings.no_show": ROLE,
    "hearings.participant": ROLE,
    "hearings.publish": ROLE,
    "hearings.recusal": ROLE,
    "hearings.record": ROLE,
    "hearings.refuse": ROLE,
    "hearings.remove_participant": ROLE,
    "hearings.report": ROLE,
    "hearings.reschedule": ROLE,
    "hearings.resume": ROLE,
    "hearings.start": ROLE,
    "hearings.suspend": ROLE,
    "hearings.venues": ROLE,
    # legal_aid
    "legal_aid.add_conflict": ROLE,
    "legal_aid.add_lawyer": ROLE,
    "legal_aid.add_mandate": ROLE,
    "legal_aid.add_pattern": ROLE,
    "legal_aid.add_slot": ROLE,
    "legal_aid.assign": ROLE,
    "legal_aid.attach": ROLE,
    "legal_aid.attach_session": ROLE,
    "legal_aid.commission": ROLE,
    "legal_aid.consultation": ROLE,
    "legal_aid.consultations": ROLE,
    "legal_aid.deliver": ROLE,
    "legal_aid.desk": ROLE,
    "legal_aid.edit_consultation": ROLE,
    "legal_aid.edit_lawyer": ROLE,
    "legal_aid.hours": ROLE,
    "legal_aid.hours_export": ROLE,
    "legal_aid.lawyer": ROLE,
    "legal_aid.lawyer_status": ROLE,
    "legal_aid.matter": ROLE,
    "legal_aid.new_consultation": ROLE,
    "legal_aid.opinion": ROLE,
    "legal_aid.remove_conflict": ROLE,
    "legal_aid.remove_slot": ROLE,
    "legal_aid.roster": ROLE,
    "legal_aid.save_opinion": ROLE,
    "legal_aid.schedule": ROLE,
    "legal_aid.slip": ROLE,
    "legal_aid.slot_absent": ROLE,
    "legal_aid.slot_swap": ROLE,
    # letters
    "letters.batch": ROLE,
    "letters.counts": ROLE,
    "letters.desk": ROLE,
    "letters.detail": ROLE,
    "letters.disagreements": ROLE,
    "letters.first_handler": ROLE,
    "letters.intake": ROLE,
    "letters.joint_review": ROLE,
    "letters.label": ROLE,
    "letters.leave": PUBLIC,
    "letters.online": PUBLIC,
    "letters.outgoing": ROLE,
    "letters.query": PUBLIC,
    "letters.rate": PUBLIC,
    "letters.reply_pdf": ROLE,
    "letters.status": PUBLIC,
    # notebook
    "notebook.api_detail": ROLE,
    "notebook.api_list": ROLE,
    "notebook.detail": ROLE,
    "notebook.export": ROLE,
    "notebook.index": ROLE,
    "notebook.touch": ROLE,
    # reception
    "reception.appointment_action": ROLE,
    "reception.board": ROLE,
    "reception.desk": ROLE,
    "reception.leapfrog_notice": ROLE,
    "reception.session": ROLE,
    "reception.session_action": ROLE,
    "reception.session_pdf": ROLE,
    "reception.sessions": ROLE,
    "reception.units": ROLE,
    "reception.visit": ROLE,
    "reception.visit_action": ROLE,
    "reception.visit_slip": ROLE,
    # stability_fund
    "stability_fund.audit_file": ROLE,
    "stability_fund.budget": ROLE,
    "stability_fund.cancel": ROLE,
    "stability_fund.carry_over": ROLE,
    "stability_fund.close": ROLE,
    "stability_fund.detail": ROLE,
    "stability_fund.index": ROLE,
    "stability_fund.matter_summary": ROLE,
    "stability_fund.new": ROLE,
    "stability_fund.pay": ROLE,
    "stability_fund.refuse": ROLE,
    "stability_fund.relation": ROLE,
    "stability_fund.reports": ROLE,
    "stability_fund.sign": ROLE,
    "stability_fund.submit": ROLE,
    "stability_fund.undertaking": ROLE,
}

#: Answers that refuse the caller.
DENIED = ("login", "401", "403")
#: Not routes of the application's own (Flask serves the static files).
IGNORED = {"static"}


@pytest.fixture(scope="module")
def every_module_app(databases, tmp_path_factory):
    """An app with every module present installed (SQLite: access decisions do not depend on
    the backend)."""
    url = databases.new("sqlite")
    app = make_app(url, tmp_path_factory.mktemp("matrix-var"))
    with app.app_context():
        names = [n for n in app.extensions["minsheng.registry"].manifests if n != "core"]
        install(names)
    yield app
    from core.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


def unclassified(app) -> list[str]:
    """Endpoints of ``app`` with no rule in ``RULES``."""
    return sorted({r.endpoint for r in app.url_map.iter_rules()} - set(RULES) - IGNORED)


def example_url(app, rule) -> str:
    values = {
        name: 1 if isinstance(converter, IntegerConverter) else "x"
        for name, converter in rule._converters.items()
    }
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def routes(app):
    """Each classified route with a method and an example URL (ids 1, other parts "x")."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in IGNORED or rule.endpoint not in RULES:
            continue  # an unclassified route fails test_every_registered_route_has_a_rule
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS"})[0]
        yield rule, method, example_url(app, rule)


def token_of(client, url: str) -> str:
    from tests.plugin import TOKEN_RE

    m = TOKEN_RE.search(client.get(url).get_data(as_text=True))
    return m.group(1) or m.group(2)


def answer(resp) -> str:
    """A response as the matrix names it: ``login`` (sent to the login page) or the status."""
    if resp.status_code == 302 and "/login" in resp.headers.get("Location", ""):
        return "login"
    return str(resp.status_code)


def test_every_registered_route_has_a_rule(every_module_app):
    assert unclassified(every_module_app) == []
    # Rules of routes that no longer exist are removed with them.
    registered = {r.endpoint for r in every_module_app.url_map.iter_rules()}
    assert sorted(set(RULES) - registered) == []


def test_a_route_added_without_a_rule_is_caught(every_module_app, databases, tmp_path):
    app = make_app(databases.new("sqlite"), tmp_path / "var")
    app.add_url_rule("/cases/shadow-export", "core.shadow_export", lambda: "all the data")
    assert "core.shadow_export" in unclassified(app)
    assert "core.shadow_export" not in unclassified(every_module_app)


def test_not_logged_in_reaches_only_public_routes(every_module_app):
    app = every_module_app
    client = app.test_client()
    token = token_of(client, "/login")
    wrong = []
    for rule, method, url in routes(app):
        data = {"csrf_token": token} if method == "POST" else None
        got = answer(client.open(url, method=method, data=data))
        if RULES[rule.endpoint] == PUBLIC:
            ok = got not in DENIED
        else:
            ok = got == ("401" if url.startswith("/api/") else "login")
        if not ok:
            wrong.append(f"{method} {url} ({rule.endpoint}, {RULES[rule.endpoint]}): {got}")
    assert wrong == []


def test_a_user_without_roles_is_refused_every_role_route(every_module_app):
    app = every_module_app
    client = app.test_client()
    assert login(client, "nobody").status_code == 302
    token = token_of(client, "/me")
    wrong = []
    for rule, method, url in routes(app):
        if rule.endpoint == "core.logout":
            continue  # it would end the session the rest of the walk needs
        data = {"csrf_token": token} if method == "POST" else None
        got = answer(client.open(url, method=method, data=data))
        if not (got == "403" if RULES[rule.endpoint] == ROLE else got not in DENIED):
            wrong.append(f"{method} {url} ({rule.endpoint}, {RULES[rule.endpoint]}): {got}")
    assert wrong == []
