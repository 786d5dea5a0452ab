#!/usr/bin/env python3
"""Walks a user through the example application (Examples/NoticeBoard) running against a
running Gatehouse, as a browser would (requests), plus an API client holding an access token
that authlib obtained. Prints one JSON line with what it measured; exits non-zero with a
message on the first failure.

    example_journeys.py --app URL --issuer URL --client-id ID --client-secret S
                        --username U --password P --unit-ok PATH --unit-wrong PATH --latency SECONDS
"""
import argparse
import json
import secrets
import sys
import time
import urllib.parse

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from oidc_client import FormParser, check, fail, submit_login


def follow(browser, response, username=None, password=None, stop=None):
    """Follows redirects (filling one login form) until a 200/4xx page or a URL starting with `stop`."""
    for _ in range(15):
        if response.status_code in (301, 302, 303, 307):
            location = urllib.parse.urljoin(response.url, response.headers["Location"])
            if stop and location.startswith(stop):
                return location
            response = browser.get(location, allow_redirects=False)
        elif response.status_code == 200 and username is not None and 'type="password"' in response.text:
            response = submit_login(browser, None, response.url, response.text, username, password)
            username = None
        else:
            return response
    fail("too many redirects")


def main():
    p = argparse.ArgumentParser()
    for name in ("app", "issuer", "client-id", "client-secret", "username", "password", "unit-ok", "unit-wrong"):
        p.add_argument("--" + name, required=True)
    p.add_argument("--latency", type=float, default=5)
    args = p.parse_args()
    app = args.app.rstrip("/")
    browser = requests.Session()

    # 1. Anonymous: the public page works; protected pages send the browser to log in; the API
    #    answers 401 with an RFC 6750 challenge.
    home = browser.get(app + "/")
    check(home.status_code == 200, f"public page answered {home.status_code}")
    first = browser.get(app + "/notices", allow_redirects=False)
    check(first.status_code in (302, 303), f"/notices without a session answered {first.status_code}, expected a redirect to log in")
    api = requests.get(app + "/api/notices")
    check(api.status_code == 401, f"/api/notices without a token answered {api.status_code}")
    challenge = api.headers.get("WWW-Authenticate", "")
    check(challenge.startswith("Bearer ") and "realm=" in challenge and "error=" not in challenge,
          f"challenge without credentials must be a bare Bearer realm (RFC 6750 §3.1): {challenge!r}")
    bad = requests.get(app + "/api/notices", headers={"Authorization": "Bearer not.a.token"})
    check(bad.status_code == 401 and 'error="invalid_token"' in bad.headers.get("WWW-Authenticate", ""),
          f"a bad token must get invalid_token: {bad.status_code} {bad.headers.get('WWW-Authenticate')!r}")

    # 2. Logged in: through Gatehouse's login page and back to the page asked for.
    page = follow(browser, first, args.username, args.password)
    check(page.status_code == 200 and page.url.startswith(app + "/notices"), f"after login: {page.status_code} at {page.url}")
    check(args.username in page.text or "Notices" in page.text, "the notices page does not show the user")
    check(any(c.name.endswith("gatehouse_session") for c in browser.cookies), "no session cookie was set")

    # 3. A role at a unit: allowed in the subtree of the grant, refused elsewhere.
    ok = browser.get(app + "/reports", params={"unit": args.unit_ok}, allow_redirects=False)
    check(ok.status_code == 200, f"reports at {args.unit_ok} answered {ok.status_code}")
    wrong = browser.get(app + "/reports", params={"unit": args.unit_wrong}, allow_redirects=False)
    check(wrong.status_code == 403, f"reports at {args.unit_wrong} answered {wrong.status_code}, expected 403")

    # An API client gets an access token for the application in the same SSO session (no form).
    oauth = OAuth2Session(args.client_id, args.client_secret, scope="openid", redirect_uri=app + "/callback",
                          code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(args.issuer + "/authorize", code_verifier=verifier, nonce=secrets.token_urlsafe(16))
    callback = follow(browser, browser.get(url, allow_redirects=False), stop=app + "/callback")
    check(isinstance(callback, str), "single sign-on did not come back to the callback without a form")
    tokens = oauth.fetch_token(args.issuer + "/token", authorization_response=callback, code_verifier=verifier)
    bearer = {"Authorization": "Bearer " + tokens["access_token"]}
    api = requests.get(app + "/api/notices", headers=bearer)
    check(api.status_code == 200 and api.json().get("subject"), f"/api/notices with a token answered {api.status_code}: {api.text[:200]}")
    check(browser.get(app + "/notices", allow_redirects=False).status_code == 200, "the session stopped working")

    # 4. Logged out elsewhere: at Gatehouse itself, not through the application. Both the
    #    session cookie and the access token must be refused within the latency.
    logout = follow(browser, browser.get(args.issuer + "/logout", allow_redirects=False))
    if logout.status_code == 200 and "<form" in logout.text:
        form = FormParser()
        form.feed(logout.text)
        data = {f.get("name"): f.get("value", "") for f in form.inputs if f.get("name")}
        logout = follow(browser, browser.post(urllib.parse.urljoin(logout.url, form.action), data=data, allow_redirects=False))
    check(logout.status_code == 200, f"logout at Gatehouse answered {logout.status_code}")
    logged_out_at = time.monotonic()
    session_refused = token_refused = None
    while time.monotonic() - logged_out_at < args.latency + 5:
        now = time.monotonic() - logged_out_at
        if session_refused is None and browser.get(app + "/notices", allow_redirects=False).status_code in (302, 303):
            session_refused = now
        if token_refused is None and requests.get(app + "/api/notices", headers=bearer).status_code == 401:
            token_refused = now
        if session_refused is not None and token_refused is not None:
            break
        time.sleep(0.1)
    check(session_refused is not None, f"the application still accepts the session {args.latency + 5:.0f} s after logout")
    check(token_refused is not None, f"the application still accepts the access token {args.latency + 5:.0f} s after logout")
    check(max(session_refused, token_refused) <= args.latency,
          f"refused after {session_refused:.2f} s (session) and {token_refused:.2f} s (token); the bound is {args.latency} s")
    print(json.dumps({"session_refused_after": round(session_refused, 3), "token_refused_after": round(token_refused, 3)}))


if __name__ == "__main__":
    main()
