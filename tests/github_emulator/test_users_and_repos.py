"""The token's user, their orgs, and the repositories they may see."""

import pytest

from .helpers import IDS, MOBILE, WEB


def names(response):
    return [repo["full_name"] for repo in response.json()]


def test_user_is_the_private_profile_of_the_token_owner(api):
    me = api.get("/user", "olivia").json()

    assert (me["login"], me["id"], me["name"], me["email"]) == (
        "olivia",
        IDS["olivia"],
        "Olivia Owner",
        "owner@acme.example",
    )
    assert me["type"] == "User" and me["site_admin"] is False
    assert me["two_factor_authentication"] is True
    assert me["total_private_repos"] == 3


def test_user_email_is_null_when_the_user_keeps_it_private(github, api):
    github.state.add_user(
        "hidden", name="Hidden Email", email="hidden@acme.example", token="ghp_" + "1" * 36, is_email_public=False
    )

    assert api.get("/user", token="ghp_" + "1" * 36).json()["email"] is None


@pytest.mark.parametrize(
    ("login", "expected"),
    [
        ("olivia", ["acme-corp/billing-api", "acme-corp/mobile-app", "acme-corp/web-app"]),
        ("ana", ["acme-corp/billing-api", "acme-corp/web-app"]),
        ("ben", ["acme-corp/mobile-app", "acme-corp/web-app"]),
        ("chloe", ["acme-corp/billing-api", "acme-corp/mobile-app"]),
        ("maya", ["acme-corp/mobile-app", "acme-corp/web-app"]),
        ("sam", ["acme-corp/mobile-app"]),
    ],
)
def test_user_repos_lists_the_repositories_the_user_may_see_by_full_name(api, login, expected):
    assert names(api.get("/user/repos", login)) == expected


def test_user_repos_sorts_and_orders_as_asked(api):
    assert names(api.get("/user/repos", sort="created")) == [
        "acme-corp/billing-api",
        "acme-corp/mobile-app",
        "acme-corp/web-app",
    ]
    assert names(api.get("/user/repos", sort="full_name", direction="desc"))[0] == "acme-corp/web-app"


def test_user_repos_affiliation_tells_collaborations_from_org_access(api):
    assert names(api.get("/user/repos", "olivia", affiliation="collaborator")) == []
    assert len(names(api.get("/user/repos", "olivia", affiliation="organization_member"))) == 3
    assert names(api.get("/user/repos", "ana", affiliation="organization_member")) == []
    assert names(api.get("/user/repos", "sam", type="member")) == [MOBILE]


def test_user_repos_visibility_public_leaves_out_private_repositories(api):
    assert names(api.get("/user/repos", visibility="public")) == []
    assert len(names(api.get("/user/repos", visibility="private"))) == 3


def test_user_repos_refuses_type_together_with_affiliation(api):
    response = api.get("/user/repos", type="owner", affiliation="owner")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "type"


def test_repositories_carry_the_callers_permissions(api):
    by_name = {repo["full_name"]: repo["permissions"] for repo in api.get("/user/repos", "chloe").json()}

    assert by_name["acme-corp/billing-api"] == {
        "admin": False,
        "maintain": False,
        "push": False,
        "triage": False,
        "pull": True,
    }
    assert by_name[MOBILE]["push"] is True and by_name[MOBILE]["admin"] is False


def test_a_repository_is_the_full_repository_with_the_org_as_owner(github, api):
    repo = api.get("/repos/acme-corp/web-app", "ana").json()
    open_items = [issue for issue in github.state.issues_in(WEB) if issue.state == "open"]

    assert (repo["full_name"], repo["private"], repo["visibility"]) == (WEB, True, "private")
    assert repo["owner"]["type"] == "Organization"
    assert repo["organization"]["login"] == "acme-corp"
    assert repo["open_issues_count"] == repo["open_issues"] == len(open_items)


def test_a_repository_the_user_may_not_see_answers_404_like_a_missing_one(api):
    hidden = api.get("/repos/acme-corp/web-app", "chloe")
    missing = api.get("/repos/acme-corp/nope", "chloe")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_repository_names_are_case_insensitive(api):
    assert api.get("/repos/ACME-Corp/Web-App").json()["full_name"] == WEB


def test_user_orgs_lists_memberships_but_not_outside_collaborations(api):
    assert [org["login"] for org in api.get("/user/orgs", "ana").json()] == ["acme-corp"]
    assert api.get("/user/orgs", "sam").json() == []


def test_org_repos_lists_the_org_repositories_the_user_may_see(api):
    assert names(api.get("/orgs/acme-corp/repos", "ben", sort="full_name")) == [MOBILE, WEB]
    assert names(api.get("/orgs/acme-corp/repos", "sam")) == [MOBILE]


def test_an_unknown_org_answers_404(api):
    response = api.get("/orgs/globex/repos", undeclared=True)

    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"


def test_removing_a_collaborator_hides_the_repository_and_adding_one_shows_it(api, control):
    assert control.delete("/repos/acme-corp/web-app/collaborators/ana").status_code == 204
    assert api.get("/repos/acme-corp/web-app", "ana").status_code == 404

    assert control.put("/repos/acme-corp/web-app/collaborators/chloe", {"permission": "read"}).status_code == 204
    assert api.get("/repos/acme-corp/web-app", "chloe").json()["permissions"]["pull"] is True
