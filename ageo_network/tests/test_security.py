import pytest
from django.urls import reverse

# Anonymous requests to every URL pattern (login redirect, or a public page) are checked by
# tests/test_permission_matrix.py.


@pytest.mark.django_db
def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_csp_header_forbids_inline_scripts(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.django_db
def test_login_page_is_japanese(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert '<html lang="ja">' in body
    assert "ログイン" in body
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong-password-123"})
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()


@pytest.mark.django_db
def test_404_page_is_japanese(admin_client):
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


@pytest.mark.django_db
def test_500_page_is_japanese(client, settings):
    from ageo_network.views import server_error

    response = server_error(client.get(reverse("login")).wsgi_request)
    assert response.status_code == 500
    assert "エラーが発生しました" in response.content.decode()


def test_bootstrap_is_vendored_with_its_licence(settings):
    static = settings.BASE_DIR / "static" / "vendor" / "bootstrap"
    assert (static / "bootstrap.min.css").stat().st_size > 100_000
    assert (
        "MIT" in (static / "LICENSE").read_text() or "Permission is hereby granted" in (static / "LICENSE").read_text()
    )
