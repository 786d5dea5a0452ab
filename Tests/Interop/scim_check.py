"""Drives Gatehouse's SCIM service provider with an independent SCIM implementation.

scim2-client (python-scim2) discovers the server from /ServiceProviderConfig,
/ResourceTypes and /Schemas, builds its resource models from what it finds, then creates,
reads, lists with a filter, replaces, patches and deletes a User; every response must parse
as the standard scim2-models objects. Then scim2-tester's check_server runs its own checks.

Usage: scim_check.py --base http://127.0.0.1:PORT/scim/v2 --token ACCESS_TOKEN --unit /ha-noi/phuong-ba-dinh

Prints one JSON object: {"client": {check: "ok" | error text}, "tester": [{"title", "status", "reason"}]}.
"""

import argparse
import json
import sys
import traceback

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import Error, ListResponse, SearchRequest

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GATEHOUSE = "urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User"
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def client_checks(client, unit):
    results = {}

    def check(name, body):
        try:
            body()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
            results[name] = f"{type(exc).__name__}: {exc}"[:500]

    state = {}

    def discover():
        client.discover()
        assert client.get_resource_model("User") is not None, "no User model discovered"
        config = client.provider.config
        assert config.patch.supported
        assert config.bulk.max_operations == 1000

    def create():
        user = client.create("User", {
            "schemas": [CORE_USER, ENTERPRISE, GATEHOUSE],
            "userName": "interop.scim",
            "displayName": "Người dùng liên thông",
            "emails": [{"value": "interop@example.gov.vn", "primary": True}],
            ENTERPRISE: {"department": unit},
            GATEHOUSE: {"unit": unit},
        })
        assert not isinstance(user, Error), user
        assert user.user_name == "interop.scim", user.user_name
        assert user.id and user.meta and user.meta.version, "id and meta.version are set"
        state["user"] = user

    def read():
        user = client.query("User", state["user"].id)
        assert user.id == state["user"].id
        assert user.emails[0].value == "interop@example.gov.vn"

    def list_filtered():
        found = client.query("User", query_parameters=SearchRequest(filter='userName sw "interop"', count=10))
        assert isinstance(found, ListResponse), found
        assert found.total_results == 1, found.total_results
        assert found.resources[0].user_name == "interop.scim"

    def replace():
        user = client.replace("User", {
            "id": state["user"].id,
            "schemas": [CORE_USER, ENTERPRISE, GATEHOUSE],
            "userName": "interop.scim",
            "displayName": "Người dùng liên thông (đổi)",
            ENTERPRISE: {"department": unit},
            GATEHOUSE: {"unit": unit},
        })
        assert not isinstance(user, Error), user
        assert user.display_name == "Người dùng liên thông (đổi)"
        assert not user.emails, "PUT without emails removes the address"

    def patch():
        op = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [{"op": "replace", "path": "active", "value": False},
                             {"op": "add", "path": "emails", "value": [{"value": "again@example.gov.vn", "primary": True}]}]}
        user = client.modify("User", state["user"].id, op)
        if user is None:  # 204: read it back
            user = client.query("User", state["user"].id)
        assert not isinstance(user, Error), user
        assert user.active is False
        assert user.emails[0].value == "again@example.gov.vn"

    def bad_filter():
        error = client.query("User", query_parameters={"filter": "userName eq"}, check_request_payload=False,
                             raise_scim_errors=False, expected_status_codes=None)
        assert isinstance(error, Error), error
        assert error.status == 400 and error.scim_type == "invalidFilter", error

    def delete():
        client.delete("User", state["user"].id)
        error = client.query("User", state["user"].id, raise_scim_errors=False, expected_status_codes=None)
        assert isinstance(error, Error) and error.status == 404, error

    for name, body in [("discover", discover), ("create", create), ("read", read), ("list_filtered", list_filtered),
                       ("replace", replace), ("patch", patch), ("bad_filter", bad_filter), ("delete", delete)]:
        check(name, body)
    return results


def tester_checks(base, token, unit):
    """scim2-tester's checks of /Users and discovery.

    The tester fills attributes with random values. Gatehouse's unit attributes (the Enterprise
    department and the Gatehouse unit) must name a unit that exists, so the tester is told
    the unit to use, as an operator would configure a provisioning client, by adding it as the
    attributes' canonicalValues to the schemas the server published. /Groups is the read-only
    role catalogue, so the tester's create-update-delete checks run on Users only.
    """
    from scim2_models import ResourceType, Schema, ScimProvider, ServiceProviderConfig
    from scim2_tester import check_server

    http = httpx2.Client(base_url=base, headers={"Authorization": f"Bearer {token}"})
    published = http.get("/Schemas").json()["Resources"]
    for schema in published:
        for attribute in schema["attributes"]:
            if (schema["id"], attribute["name"]) in {(ENTERPRISE, "department"), (GATEHOUSE, "unit")}:
                attribute["canonicalValues"] = [unit]
    provider = ScimProvider.from_discovery(
        [Schema.model_validate(s) for s in published],
        [ResourceType.model_validate(r) for r in http.get("/ResourceTypes").json()["Resources"]],
        ServiceProviderConfig.model_validate(http.get("/ServiceProviderConfig").json()),
    )
    results = check_server(SyncSCIMClient(http, provider=provider), raise_exceptions=False, resource_types=["User"])
    return [{"title": r.title, "status": r.status.name, "reason": (r.reason or "")[:800],
             "resource_type": r.resource_type} for r in results]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--unit", required=True)
    parser.add_argument("--skip-tester", action="store_true")
    args = parser.parse_args()

    http = httpx2.Client(base_url=args.base, headers={"Authorization": f"Bearer {args.token}"})
    out = {"client": client_checks(SyncSCIMClient(http), args.unit)}
    if not args.skip_tester:
        try:
            out["tester"] = tester_checks(args.base, args.token, args.unit)
        except Exception:  # noqa: BLE001
            out["tester_error"] = traceback.format_exc()[-1500:]
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
