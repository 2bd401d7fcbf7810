#!/usr/bin/env python3
"""Regenerates cases.json from a checkout of the yaml-test-suite `data` branch.

Usage: python3 regenerate.py DATA_DIR COMMIT > cases.json

DATA_DIR is the `data` branch of https://github.com/yaml/yaml-test-suite
(e.g. `git archive data | tar -x -C DATA_DIR`), COMMIT its commit hash.
Only what the test needs is kept: per case its id, name (`===`), the input
(`in.yaml`, as text) and whether the suite marks it an error (`error` file).
"""
import json
import os
import sys

root, commit = sys.argv[1], sys.argv[2]
cases = []
for dirpath, _dirs, files in os.walk(root):
    if "in.yaml" not in files:
        continue
    rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
    with open(os.path.join(dirpath, "in.yaml"), "rb") as f:
        text = f.read().decode("utf-8")
    name = ""
    if "===" in files:
        with open(os.path.join(dirpath, "==="), encoding="utf-8") as f:
            name = f.read().strip()
    else:
        # Sub-cases (`DK95/01`) take the name of their parent.
        parent = os.path.join(os.path.dirname(dirpath), "===")
        if os.path.exists(parent):
            with open(parent, encoding="utf-8") as f:
                name = f.read().strip()
    cases.append({"id": rel, "name": name, "error": "error" in files, "yaml": text})
cases.sort(key=lambda c: c["id"])
doc = {
    "source": "https://github.com/yaml/yaml-test-suite, branch data",
    "commit": commit,
    "license": "MIT, Copyright (c) 2016-2020 Ingy döt Net (see LICENSE)",
    "cases": cases,
}
json.dump(doc, sys.stdout, ensure_ascii=True, indent=0)
sys.stdout.write("\n")
