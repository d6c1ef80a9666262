"""Signing in with random and hostile input: at most one failure (and audit event) recorded, never sent elsewhere."""

import re
from urllib.parse import urlsplit

from conftest import PASSWORD, csrf_token
from hostile_input import changes, emails, fuzz, overlay, snapshot, unseeded_segment_names, value
from hypothesis import given
from hypothesis import strategies as st

_unseeded_segment_names = unseeded_segment_names()


@fuzz(60)
@given(
    changed=changes(["email", "password", "submit"], email=emails, password=st.just(PASSWORD)),
    address=st.ip_addresses().map(str),
)
def test_sign_in_refuses_garbage_and_records_at_most_one_failure(client, team, changed, address):
    data = overlay({"csrf_token": csrf_token(client), "email": "", "password": ""}, changed)
    before = snapshot()
    response = client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})
    assert response.status_code < 500
    after = snapshot()
    failures = after.pop("login_failures"), before.pop("login_failures")
    events, events_before = after.pop("audit_events"), before.pop("audit_events")
    new_events = [event[4] for event in events if event not in events_before]  # (id, time, actor, email, action…)
    if response.status_code == 302:  # guessed a team member's password: signed in, and that is all
        assert response.location == "/admin/"
        client.post("/logout", data={"csrf_token": csrf_token(client)})
    elif response.status_code in (200, 429):  # a wrong password is recorded, towards throttling and in the log
        assert after == before and len(failures[0]) - len(failures[1]) <= 1
        assert new_events in ([], ["signin.failed"], ["signin.locked_out"])
    else:
        assert response.status_code in (400, 422) and (after, failures[0], new_events) == (before, failures[1], [])


def browser_target(location: str) -> str:
    """Return a Location as a browser resolves it: tabs and newlines dropped, outer spaces cut, \\ read as /."""
    return re.sub(r"[\t\n\r]", "", location).strip("\x00 \x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c").replace("\\", "/")


@fuzz(40)
@given(target=value | st.sampled_from(["/\\evil.example", "/\t/evil.example", "\\/evil.example", " //evil.example"]))
def test_sign_in_never_sends_the_browser_to_another_site(client, team, target):
    data = {"csrf_token": csrf_token(client), "email": "editor@example.org", "password": PASSWORD}
    response = client.post("/login", data=data, query_string={"next": target})
    if "\x00" in target:
        assert response.status_code == 400
        return
    assert response.status_code == 302
    resolved = browser_target(response.location)
    assert not urlsplit(resolved).scheme and resolved.startswith("/") and not resolved.startswith("//"), resolved
    client.post("/logout", data={"csrf_token": csrf_token(client)})
