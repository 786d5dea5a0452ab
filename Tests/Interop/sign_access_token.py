#!/usr/bin/env python3
"""Signs RFC 9068 access tokens with joserfc, an independent JOSE implementation, for the
GatehouseMiddleware interoperability test.

Generates an EC P-256 key and an Ed25519 key, publishes both in a JWK Set, signs an at+jwt
with each, and signs two more with a third key that is not published (once under its own kid,
once under a published kid). Prints one JSON object:

    {"jwks": {"keys": [...]}, "tokens": {"ES256": "...", "EdDSA": "...",
     "unpublished_kid": "...", "borrowed_kid": "..."}}

    sign_access_token.py --issuer URL --audience AUD [--subject SUB] [--now EPOCH]
"""
import argparse
import json
import secrets
import sys
import time
import warnings

from joserfc import jwt
from joserfc.jwk import ECKey, OKPKey

# joserfc flags EdDSA as superseded by RFC 9864's fully specified names; Gatehouse uses EdDSA.
warnings.filterwarnings("ignore", message=".*EdDSA.*")


def claims(args, now):
    return {
        "iss": args.issuer,
        "sub": args.subject,
        "aud": args.audience,
        "exp": now + 300,
        "iat": now,
        "jti": secrets.token_urlsafe(12),
        "client_id": args.audience,
        "scope": "openid notices.read",
        "sid": "sid-" + secrets.token_urlsafe(6),
        "unit": "/ha-noi/phuong-ba-dinh",
        "roles": ["clerk@/ha-noi"],
    }


def sign(key, alg, kid, args, now):
    header = {"alg": alg, "typ": "at+jwt", "kid": kid}
    return jwt.encode(header, claims(args, now), key, algorithms=[alg])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--audience", required=True)
    parser.add_argument("--subject", default="interop-subject")
    parser.add_argument("--now", type=int, default=None)
    args = parser.parse_args()
    now = args.now if args.now is not None else int(time.time())

    ec = ECKey.generate_key("P-256", parameters={"use": "sig", "alg": "ES256"}, auto_kid=True)
    ed = OKPKey.generate_key("Ed25519", parameters={"use": "sig", "alg": "EdDSA"}, auto_kid=True)
    stranger = ECKey.generate_key("P-256", parameters={"use": "sig", "alg": "ES256"}, auto_kid=True)

    out = {
        "jwks": {"keys": [ec.as_dict(private=False), ed.as_dict(private=False)]},
        "tokens": {
            "ES256": sign(ec, "ES256", ec.kid, args, now),
            "EdDSA": sign(ed, "EdDSA", ed.kid, args, now),
            "unpublished_kid": sign(stranger, "ES256", stranger.kid, args, now),
            "borrowed_kid": sign(stranger, "ES256", ec.kid, args, now),
        },
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
