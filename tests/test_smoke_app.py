from tests.plugin import login


def test_login_and_home(client):
    resp = login(client, "admin")
    assert resp.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "管理员" in home
    assert "模块管理" in home
