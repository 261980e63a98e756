"""Who may see which log (`app.access`) and how the explorer reads its login config (`app.explore_auth`):
the rules without a browser. The login itself, in Chromium against a real provider: test_explore_login.py."""
from __future__ import annotations

import os
import tomllib

import pytest

from saksflyt.app import access, explore_auth, mine_config
from saksflyt.extractors.errors import InputError

CONFIG = """
[auth]
issuer = "https://login.example.no/t/v2.0/"
client_id = "saksflyt"

[[access.grant]]
groups = ["barnevern-lesere"]
logs = ["barnevern"]
role = "reader"

[[access.grant]]
groups = ["barnevern-eiere", "byggesak-eiere"]
logs = ["barnevern", "bygg*"]
role = "owner"

[[access.grant]]
subjects = ["9f1c-admin"]
role = "admin"

[logs.barnevern]
mandatory = ["Melding mottatt"]
"""
LOGS = ["barnevern", "byggesak", "byggesak-2024", "sosialhjelp"]


@pytest.fixture
def grants():
    return access.grants(tomllib.loads(CONFIG))


def test_each_person_gets_the_logs_their_groups_open_with_the_highest_role(grants):
    reader = access.viewer(grants, {"sub": "a1", "groups": ["barnevern-lesere"]})
    assert reader.visible(LOGS) == ["barnevern"] and reader.role("barnevern") == "reader"
    assert not reader.may_mark("barnevern") and not reader.admin
    both = access.viewer(grants, {"sub": "b2", "groups": ["barnevern-lesere", "barnevern-eiere"]})
    assert both.role("barnevern") == "owner" and both.may_mark("barnevern")
    owner = access.viewer(grants, {"sub": "c3", "groups": ["byggesak-eiere"]})
    assert owner.visible(LOGS) == ["barnevern", "byggesak", "byggesak-2024"]   # "bygg*" is a pattern
    admin = access.viewer(grants, {"sub": "9f1c-admin"})
    assert admin.visible(LOGS) == LOGS and admin.admin and admin.role("sosialhjelp") == "admin"
    stranger = access.viewer(grants, {"sub": "d4", "groups": ["kantina"]})
    assert stranger.visible(LOGS) == [] and not stranger.anything and stranger.role("barnevern") is None


def test_a_single_group_sent_as_a_string_counts_and_a_token_without_subject_is_refused(grants):
    assert access.viewer(grants, {"sub": "e5", "groups": "barnevern-lesere"}).visible(LOGS) == ["barnevern"]
    assert access.viewer(grants, {"sub": "e5", "roller": ["barnevern-lesere"]}, groups_claim="roller").anything
    with pytest.raises(InputError, match="no subject"):
        access.viewer(grants, {"groups": ["barnevern-lesere"]})


def test_without_a_login_the_os_user_sees_everything():
    local = access.local_viewer("os:kari")
    assert local.visible(LOGS) == LOGS and local.admin and local.may_mark("x") and local.subject == "os:kari"


def test_the_auth_table_is_read_with_defaults():
    auth = access.auth_settings(tomllib.loads(CONFIG))
    assert auth.metadata_url == "https://login.example.no/t/v2.0/.well-known/openid-configuration"
    assert (auth.client_secret_env, auth.scope, auth.groups_claim) == (
        "SAKSFLYT_OIDC_CLIENT_SECRET", "openid profile email", "groups")


@pytest.mark.parametrize(("text", "message"), [
    ('[auth]\nclient_id = "x"\n', r"\[auth\].issuer must be a non-empty string"),
    ('[auth]\nissuer = "login.example.no"\nclient_id = "x"\n', "must be an http"),
    ('[auth]\nissuer = "https://x"\nclient_id = "x"\nclient_secret = "s"\n', "unknown key client_secret"),
    ('[auth]\nissuer = "https://x"\nclient_id = "x"\n', "no \\[\\[access.grant\\]\\] names who may see"),
    ('[[access.grant]]\ngroups = ["g"]\nlogs = ["a"]\nrole = "reader"\n', "need an \\[auth\\] table"),
    ('[auth]\nissuer = "https://x"\nclient_id = "x"\n[[access.grant]]\ngroups = ["g"]\nlogs = ["a"]\nrole = "boss"\n',
     "role must be one of reader, owner, admin"),
    ('[auth]\nissuer = "https://x"\nclient_id = "x"\n[[access.grant]]\nlogs = ["a"]\nrole = "reader"\n',
     "names no groups and no subjects"),
    ('[auth]\nissuer = "https://x"\nclient_id = "x"\n[[access.grant]]\ngroups = ["g"]\nrole = "reader"\n',
     "logs is empty"),
])
def test_a_config_that_would_not_do_what_it_says_is_refused_with_the_file_named(tmp_path, text, message):
    path = tmp_path / "saksflyt.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        explore_auth.load(path)
    assert str(caught.value).startswith(str(path))


def test_the_secrets_streamlit_reads_come_from_the_environment_never_the_file():
    auth = access.auth_settings(tomllib.loads(CONFIG))
    text = explore_auth.streamlit_secrets(auth, host="0.0.0.0", port=8600,
                                          env={"SAKSFLYT_OIDC_CLIENT_SECRET": 'se"cret', "SAKSFLYT_COOKIE_SECRET": "k"})
    section = tomllib.loads(text)["auth"]
    assert section["client_secret"] == 'se"cret' and section["cookie_secret"] == "k"
    assert section["redirect_uri"] == "http://0.0.0.0:8600/oauth2callback"
    assert section["server_metadata_url"] == auth.metadata_url and section["client_kwargs"]["scope"] == auth.scope
    fresh = tomllib.loads(explore_auth.streamlit_secrets(auth, host="::1", port=1, env={
        "SAKSFLYT_OIDC_CLIENT_SECRET": "s"}))["auth"]
    assert len(fresh["cookie_secret"]) >= 40 and fresh["redirect_uri"] == "http://localhost:1/oauth2callback"


def test_the_secrets_file_is_readable_by_its_owner_only(tmp_path):
    target = explore_auth.write_private(tmp_path, "[auth]\n")
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_bad_edit_of_the_running_config_locks_people_out_never_in(tmp_path):
    path = tmp_path / "saksflyt.toml"
    path.write_text(CONFIG, encoding="utf-8")
    env = {explore_auth.LOGIN_ENV: "1", explore_auth.CONFIG_ENV: str(path)}
    assert len(explore_auth.current(env).grants) == 3
    for broken in ("[auth\n", "", CONFIG.replace("[auth]", "[authx]")):
        path.write_text(broken, encoding="utf-8")
        os.utime(path, ns=(1, os.stat(path).st_mtime_ns + 1_000_000))
        served = explore_auth.current(env)
        assert served.login and served.grants == ()
    path.unlink()
    assert explore_auth.current(env) == explore_auth.Served(login=True)
    assert explore_auth.current({}) == explore_auth.Served(login=False)


def test_mining_reads_the_same_file_and_leaves_the_login_alone(tmp_path):
    path = tmp_path / "saksflyt.toml"
    path.write_text(CONFIG, encoding="utf-8")
    assert mine_config.read(path, "barnevern").mandatory == ("Melding mottatt",)
