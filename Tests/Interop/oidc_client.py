#!/usr/bin/env python3
"""Drives a running Gatehouse with independent, widely used libraries: authlib as the OAuth
2.0 / OpenID Connect client (code flow with PKCE S256), joserfc to verify signatures against the
published JWKS, and requests as the browser. Exits non-zero with a message on the first failure.

    oidc_client.py flow   --issuer URL --client-id ID --client-secret S --redirect-uri URI --username U --password P
    oidc_client.py nodes  --issuer URL --node-a URL --node-b URL --disable-command CMD ... (two servers, one database)
"""
import argparse
import html.parser
import http.server
import queue
import secrets
import threading
import subprocess
import sys
import urllib.parse

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import KeySet


def fail(message):
    print(f"interop: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


class FormParser(html.parser.HTMLParser):
    """Collects the first POST form: its action and its inputs."""

    def __init__(self):
        super().__init__()
        self.action, self.inputs, self.in_form, self.done = None, [], False, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and a.get("method", "get").lower() == "post":
            self.in_form, self.action = True, a.get("action", "")
        elif tag in ("input", "button") and self.in_form:
            self.inputs.append(a)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def submit_login(browser, base, page_url, page_html, username, password):
    form = FormParser()
    form.feed(page_html)
    check(form.action is not None, f"no login form at {page_url}")
    data = {}
    for field in form.inputs:
        name, kind = field.get("name"), (field.get("type") or "text").lower()
        if not name or kind in ("submit", "button") and field.get("value") is None:
            continue
        if kind == "password":
            data[name] = password
        elif field.get("autocomplete") == "username" or "user" in name.lower():
            data[name] = username
        elif kind in ("hidden",) or field.get("value") is not None:
            data[name] = field.get("value", "")
    action = urllib.parse.urljoin(page_url, form.action or page_url)
    return browser.post(action, data=data, allow_redirects=False)


def follow_to_callback(browser, response, redirect_uri, username=None, password=None, base=None):
    """Follows redirects (and one login form) until the browser is sent to redirect_uri."""
    for _ in range(10):
        if response.status_code in (301, 302, 303, 307):
            location = urllib.parse.urljoin(response.url, response.headers["Location"])
            if location.startswith(redirect_uri):
                return location
            response = browser.get(location, allow_redirects=False)
        elif response.status_code == 200 and username is not None:
            response = submit_login(browser, base, response.url, response.text, username, password)
            username = None
        else:
            fail(f"unexpected {response.status_code} at {response.url}: {response.text[:300]}")
    fail("too many redirects")


def verify(token, keys, issuer, audience=None, typ=None, nonce=None):
    decoded = jwt.decode(token, keys, algorithms=["ES256", "RS256", "PS256", "EdDSA"])
    if typ is not None:
        check(decoded.header.get("typ", "").lower() in (typ, "application/" + typ), f"typ is {decoded.header.get('typ')}, expected {typ}")
    claims = {"iss": {"essential": True, "value": issuer}, "exp": {"essential": True}, "sub": {"essential": True}}
    if audience:
        claims["aud"] = {"essential": True, "value": audience}
    if nonce:
        claims["nonce"] = {"essential": True, "value": nonce}
    jwt.JWTClaimsRegistry(**claims).validate(decoded.claims)
    return decoded


def login(args, base, browser, prompt=None):
    """One authorization code flow through `base`; returns (tokens, nonce, oauth session)."""
    discovery = requests.get(base + "/.well-known/openid-configuration").json()
    check(discovery["issuer"] == args.issuer, f"discovery issuer {discovery['issuer']} != {args.issuer}")
    check(discovery.get("code_challenge_methods_supported") == ["S256"], "only S256 must be offered")
    check(discovery.get("authorization_response_iss_parameter_supported") is True, "RFC 9207 iss must be advertised")
    session = OAuth2Session(args.client_id, args.client_secret, scope="openid profile email",
                            redirect_uri=args.redirect_uri, code_challenge_method="S256",
                            token_endpoint_auth_method="client_secret_basic")
    verifier, nonce = generate_token(48), secrets.token_urlsafe(16)
    url, state = session.create_authorization_url(base + "/authorize", code_verifier=verifier, nonce=nonce,
                                                  **({"prompt": prompt} if prompt else {}))
    first = browser.get(url, allow_redirects=False)
    callback = follow_to_callback(browser, first, args.redirect_uri, args.username, args.password, base)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(callback).query))
    check(query.get("iss") == args.issuer, f"authorization response iss {query.get('iss')} != {args.issuer} (RFC 9207)")
    check("error" not in query, f"authorization error: {query}")
    tokens = session.fetch_token(base + "/token", authorization_response=callback, code_verifier=verifier)
    return tokens, nonce, session


class LogoutReceiver(http.server.BaseHTTPRequestHandler):
    """A relying party's back-channel logout endpoint (OIDC Back-Channel Logout 1.0 §2.5)."""
    received = queue.Queue()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        LogoutReceiver.received.put((self.headers.get("Content-Type", ""), form))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def check_backchannel_logout(args, base, browser, raw_id_token, id_token, keys):
    server = http.server.HTTPServer(("127.0.0.1", args.backchannel_port), LogoutReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        logout = browser.get(base + "/logout", params={"id_token_hint": raw_id_token}, allow_redirects=False)
        check(logout.status_code in (200, 302, 303), f"logout answered {logout.status_code}")
        try:
            content_type, form = LogoutReceiver.received.get(timeout=20)
        except queue.Empty:
            fail("no back-channel logout token arrived within 20 s")
        check(content_type.startswith("application/x-www-form-urlencoded"), f"logout POST content type {content_type}")
        token = jwt.decode(form["logout_token"], keys, algorithms=["ES256", "RS256", "PS256", "EdDSA"])
        check(token.header.get("typ") == "logout+jwt", f"logout token typ {token.header.get('typ')}")
        claims = token.claims
        check(claims.get("iss") == args.issuer and claims.get("aud") in (args.client_id, [args.client_id]), f"logout token iss/aud {claims}")
        check("http://schemas.openid.net/event/backchannel-logout" in claims.get("events", {}), "logout token lacks the logout event")
        check(claims.get("sid") == id_token.claims.get("sid"), "logout token sid differs from the ID token's")
        check("nonce" not in claims, "a logout token must not carry a nonce")
    finally:
        server.shutdown()


def command_flow(args):
    base = args.issuer
    keys = KeySet.import_key_set(requests.get(base + "/jwks").json())
    browser = requests.Session()
    tokens, nonce, session = login(args, base, browser)
    id_token = verify(tokens["id_token"], keys, args.issuer, audience=args.client_id, nonce=nonce)
    access = verify(tokens["access_token"], keys, args.issuer, typ="at+jwt")
    check(access.claims.get("client_id") == args.client_id, "access token client_id")
    check(id_token.claims["sub"] == access.claims["sub"], "ID token and access token subjects differ")
    check("sid" in id_token.claims and "auth_time" in id_token.claims, "ID token lacks sid or auth_time")

    info = session.get(base + "/userinfo").json()
    check(info.get("sub") == id_token.claims["sub"], f"userinfo sub {info.get('sub')}")
    check(info.get("preferred_username") == args.username, f"userinfo preferred_username {info.get('preferred_username')}")

    old_refresh = tokens["refresh_token"]
    refreshed = session.refresh_token(base + "/token", refresh_token=old_refresh)
    check(refreshed["refresh_token"] != old_refresh, "refresh token did not rotate")
    verify(refreshed["access_token"], keys, args.issuer, typ="at+jwt")

    # A second client's login in the same browser session needs no form (single sign-on).
    if args.second_client_id:
        second = argparse.Namespace(**vars(args))
        second.client_id, second.client_secret, second.redirect_uri = args.second_client_id, args.second_client_secret, args.second_redirect_uri
        second.username = None  # a login form now would be a failure
        tokens2, _, _ = login(second, base, browser)
        check("id_token" in tokens2, "second client got no ID token")

    if args.backchannel_port:
        check_backchannel_logout(args, base, browser, tokens["id_token"], id_token, keys)

    revoked = session.revoke_token(base + "/revoke", token=refreshed["refresh_token"], token_type_hint="refresh_token")
    check(revoked.status_code == 200, f"revocation answered {revoked.status_code}")
    after = requests.post(base + "/token", data={"grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"]},
                          auth=(args.client_id, args.client_secret))
    check(after.status_code == 400 and after.json().get("error") == "invalid_grant", f"revoked refresh token still works: {after.text}")
    print("interop: authlib code flow with PKCE, joserfc signature checks, userinfo, refresh rotation, single sign-on, "
          "back-channel logout, revocation: ok")


def refresh_fails(base, args, refresh_token):
    r = requests.post(base + "/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token},
                      auth=(args.client_id, args.client_secret))
    return r.status_code == 400 and r.json().get("error") == "invalid_grant"


def silent_authorize(browser, base, args):
    """prompt=none at `base` with the browser's cookies; returns the callback's query."""
    session = OAuth2Session(args.client_id, args.client_secret, scope="openid", redirect_uri=args.redirect_uri,
                            code_challenge_method="S256")
    url, _ = session.create_authorization_url(base + "/authorize", code_verifier=generate_token(48), nonce="n", prompt="none")
    callback = follow_to_callback(browser, browser.get(url, allow_redirects=False), args.redirect_uri)
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(callback).query))


def command_nodes(args):
    """Two servers sharing one database behave as one service."""
    a, b = args.node_a, args.node_b
    browser = requests.Session()
    tokens_a, _, _ = login(args, a, browser)
    # A session started through A is honoured by B: no login form (username=None would fail on one).
    quiet = argparse.Namespace(**vars(args))
    quiet.username = None
    tokens_b, _, _ = login(quiet, b, browser)
    check("id_token" in tokens_b, "B did not complete the flow from A's session")
    info = requests.get(b + "/userinfo", headers={"Authorization": "Bearer " + tokens_a["access_token"]})
    check(info.status_code == 200, f"B refused A's access token: {info.status_code}")

    # A logout through A takes effect on B.
    logout = browser.get(a + "/logout", params={"id_token_hint": tokens_a["id_token"]}, allow_redirects=False)
    check(logout.status_code in (200, 302, 303), f"logout at A answered {logout.status_code}")
    check(silent_authorize(browser, b, args).get("error") == "login_required", "B still honours the ended session")
    check(refresh_fails(b, args, tokens_b["refresh_token"]), "B still refreshes a token of the ended session")

    # A revocation through B takes effect on A.
    fresh = requests.Session()
    tokens, _, session = login(args, a, fresh)
    revoked = requests.post(b + "/revoke", data={"token": tokens["refresh_token"]}, auth=(args.client_id, args.client_secret))
    check(revoked.status_code == 200, f"revocation at B answered {revoked.status_code}")
    check(refresh_fails(a, args, tokens["refresh_token"]), "A still accepts a refresh token revoked through B")

    # A disabled account (through the command line, on the shared database) is refused by both.
    tokens, _, _ = login(args, b, requests.Session())
    disabled = subprocess.run(args.disable_command, shell=True, capture_output=True, text=True)
    check(disabled.returncode == 0, f"disable command failed: {disabled.stderr}")
    for node in (a, b):
        r = requests.get(node + "/userinfo", headers={"Authorization": "Bearer " + tokens["access_token"]})
        check(r.status_code == 401, f"{node} still serves userinfo to a disabled account ({r.status_code})")
    check(refresh_fails(a, args, tokens["refresh_token"]), "a disabled account's refresh token still works")
    print("interop: two nodes on one database: shared session, logout, revocation and disabling: ok")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["flow", "nodes"])
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--backchannel-port", type=int)
    parser.add_argument("--node-a")
    parser.add_argument("--node-b")
    parser.add_argument("--disable-command")
    parser.add_argument("--second-client-id")
    parser.add_argument("--second-client-secret")
    parser.add_argument("--second-redirect-uri")
    args = parser.parse_args()
    {"flow": command_flow, "nodes": command_nodes}[args.command](args)


if __name__ == "__main__":
    main()
