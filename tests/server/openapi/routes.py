#!/usr/bin/python3
# Compares the routes rota-server serves (`rota-server routes`) with the
# operations in data/openapi.yaml: both must be the same set. A spec
# operation may be listed in NOT_YET_SERVED while it is being built; the
# test fails for anything else that differs, and also when a listed one is
# served already (so the list only ever shrinks).
# usage: routes.py ROTA-SERVER OPENAPI-YAML
import re
import subprocess
import sys

NOT_YET_SERVED = set()


def spec_routes(path):
    routes = set()
    current = None
    in_paths = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("paths:"):
            in_paths = True
            continue
        if in_paths and re.match(r"^\S", line):
            in_paths = False
        if not in_paths:
            continue
        match = re.match(r"^  (/[^:]*):\s*$", line)
        if match:
            current = match.group(1)
            continue
        match = re.match(r"^    (get|put|post|delete|patch):\s*$", line)
        if match and current:
            routes.add("%s %s" % (match.group(1).upper(), current))
    return routes


def main():
    server, spec = sys.argv[1:3]
    output = subprocess.run([server, "routes"], check=True, capture_output=True, text=True).stdout
    served = {line.replace("/{tenant}", "", 1) for line in output.split("\n") if line}
    specified = spec_routes(spec)
    problems = []
    for route in sorted(served - specified):
        problems.append("served but not in data/openapi.yaml: " + route)
    for route in sorted(specified - served - NOT_YET_SERVED):
        problems.append("in data/openapi.yaml but not served: " + route)
    for route in sorted(NOT_YET_SERVED & served):
        problems.append("served now, remove it from NOT_YET_SERVED: " + route)
    for route in sorted(NOT_YET_SERVED - specified):
        problems.append("NOT_YET_SERVED names a route the spec does not have: " + route)
    print("%d routes served, %d in the spec, not yet served: %s" %
          (len(served), len(specified), ", ".join(sorted(NOT_YET_SERVED)) or "none"))
    for problem in problems:
        print("routes.py: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
