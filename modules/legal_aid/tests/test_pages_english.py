"""Every page of the desk renders in English too, with the module's own labels translated."""

from __future__ import annotations

from tests.kit import csrf_token, install_module, post_form, register


def test_pages_in_english(app, as_user):
    install_module(app, "legal_aid", users={"lawyer": ("值班律师老周", "lawyer", "XFJ")})
    with app.app_context():
        matter_id = register().id
    c = as_user("lawyer")
    resp = c.post("/lang/en", data={"csrf_token": csrf_token(c, "/legal-aid/"), "next": "/"})
    assert resp.status_code == 302
    page = "/legal-aid/consultations/new"
    resp = post_form(c, page, {"visitor_name": "甲", "question": "问题", "route": "other"})
    assert resp.status_code == 302
    pages = {
        "/legal-aid/": "Lawyers on duty today",
        "/legal-aid/consultations?show=all": "Legal consultations",
        "/legal-aid/consultations/new": "Record a consultation",
        resp.headers["Location"]: "Other route",
        f"/legal-aid/matters/{matter_id}": "No consultations.",
    }
    for url, label in pages.items():
        resp = c.get(url)
        assert resp.status_code == 200, url
        html = resp.get_data(as_text=True)
        assert '<html lang="en">' in html and label in html and "Duty lawyers" in html, url
