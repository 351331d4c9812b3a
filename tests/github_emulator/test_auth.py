"""Authentication: `Authorization: Bearer|token <token>`, GitHub's 401 bodies, both API roots."""

import pytest

from .helpers import IDS, TOKENS


@pytest.mark.parametrize("scheme", ["Bearer", "token", "bearer"])
def test_it_answers_the_token_owner_with_either_scheme(api, scheme):
    response = api.get("/user", None, headers={"Authorization": f"{scheme} {TOKENS['maya']}"})

    assert response.status_code == 200
    assert (response.json()["login"], response.json()["id"]) == ("maya", IDS["maya"])


def test_it_answers_401_bad_credentials_for_an_unknown_token(api):
    response = api.get("/user", token="ghp_" + "0" * 36)

    assert response.status_code == 401
    assert response.json() == {
        "message": "Bad credentials",
        "documentation_url": "https://docs.github.com/rest",
        "status": "401",
    }


def test_it_answers_401_requires_authentication_without_a_token(api):
    response = api.get("/user/repos", None)

    assert response.status_code == 401
    assert response.json()["message"] == "Requires authentication"
    assert response.json()["status"] == "401"


def test_a_revoked_token_gets_401_and_the_account_keeps_its_data(github, api, control):
    assert control.post("/users/ana/revoke_token").json() == {"login": "ana", "revoked": True}

    assert api.get("/user", "ana").json()["message"] == "Bad credentials"
    assert github.state.user("ana").email == "ana@acme.example"
    assert api.get("/user/orgs", "ben").status_code == 200


def test_a_rotated_token_works_and_the_old_one_does_not(api, control):
    new_token = control.post("/users/ben/rotate_token").json()["token"]

    assert new_token.startswith("ghp_") and len(new_token) == 40
    assert api.get("/user", token=new_token).json()["login"] == "ben"
    assert api.get("/user", "ben").status_code == 401


def test_the_enterprise_base_url_serves_the_same_api_with_its_own_urls(github, enterprise_api):
    response = enterprise_api.get("/repos/acme-corp/web-app/issues", "ana")

    assert github.enterprise_base_url.endswith("/api/v3")
    assert response.status_code == 200
    assert response.json()[0]["url"].startswith(f"{github.enterprise_base_url}/repos/acme-corp/web-app/issues/")
    assert response.json()[0]["html_url"].startswith(f"{github.root_url}/acme-corp/web-app/")


def test_the_root_answers_without_a_token(api, github):
    response = api.get("/", None)

    assert response.status_code == 200
    assert response.json()["current_user_url"] == f"{github.base_url}/user"


def test_an_operation_the_emulator_does_not_serve_answers_404(api):
    response = api.get("/repos/acme-corp/web-app/labels")

    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"


def test_an_unsupported_api_version_is_refused_with_400(api):
    response = api.get("/user", headers={"X-GitHub-Api-Version": "2099-01-01"}, undeclared=True)

    assert response.status_code == 400
    assert "2099-01-01" in response.json()["message"]
    assert api.get("/user").headers["X-GitHub-Api-Version-Selected"] == "2022-11-28"
