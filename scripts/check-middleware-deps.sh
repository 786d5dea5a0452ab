#!/usr/bin/env bash
# GatehouseMiddleware is what party applications import. It may depend on GatehouseJOSE
# (OpenSSL), an HTTP client and Hummingbird, and on nothing else of Gatehouse: no server,
# store, libpq, SQLite, libldap or libargon2. This walks the package's target graph and
# fails, naming the path, if anything forbidden is reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package describe --type json | python3 -c '
import json, sys
targets = {t["name"]: t for t in json.load(sys.stdin)["targets"]}
allowed = {"GatehouseMiddleware", "GatehouseJOSE", "GatehouseCrypto", "COpenSSL"}
seen, stack, bad = set(), [("GatehouseMiddleware", ["GatehouseMiddleware"])], []
while stack:
    name, path = stack.pop()
    if name in seen:
        continue
    seen.add(name)
    if name not in allowed:
        bad.append(" -> ".join(path))
    for dep in targets[name].get("target_dependencies", []):
        stack.append((dep, path + [dep]))
if bad:
    sys.exit("GatehouseMiddleware reaches targets it must not depend on:\n  " + "\n  ".join(bad))
products = sorted(set(targets["GatehouseMiddleware"].get("product_dependencies", [])))
print("GatehouseMiddleware depends on " + ", ".join(sorted(seen - {"GatehouseMiddleware"})) + " and the products " + ", ".join(products))
'
