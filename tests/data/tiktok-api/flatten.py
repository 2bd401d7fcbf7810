#!/usr/bin/env python3
"""Flattens the official Smart+ OpenAPI request trees into schema_*.txt.

Source: the official SDK repository tiktok/tiktok-business-api-sdk,
`yml_files/smart_plus_*.yml` (see README.md in this folder for the commit).

Usage:  python3 flatten.py PATH/TO/tiktok-business-api-sdk/yml_files

For each endpoint listed in ENDPOINTS it writes `schema_<name>.txt` next to
this script: one line per request field, two spaces of indent per level,
fields sorted by name, then the field's type, format, default, sizes,
REQUIRED, the valid enum values and (in parentheses) the values the file
marks `is_valid: false`. Array items that are objects list their fields one
level deeper; array items with an enum are written `[items enum=[...]]`
(valid values only).
The output is byte-identical to the trees in
../shared/reference/tiktok-api/ (the five create/update files were checked
against them), so regenerating is a no-op unless the SDK changed.
Needs PyYAML.
"""
import os
import sys

import yaml

ENDPOINTS = [
    "smart_plus_campaign_create",
    "smart_plus_campaign_update",
    "smart_plus_campaign_status_update",
    "smart_plus_adgroup_create",
    "smart_plus_adgroup_update",
    "smart_plus_adgroup_status_update",
    "smart_plus_ad_create",
    "smart_plus_ad_update",
    "smart_plus_ad_status_update",
    "smart_plus_ad_material_status_update",
]


def enum_text(schema, with_invalid=True):
    e = schema.get("x-open-enum")
    if not e:
        return ""
    valid = sorted(x["key"] for x in e.get("enums", []) if x.get("is_valid", True))
    invalid = sorted(x["key"] for x in e.get("enums", []) if not x.get("is_valid", True))
    s = " enum=%r" % (valid,)
    if invalid and with_invalid:
        s += " (invalid:%r)" % (invalid,)
    return s


def head(name, schema, required):
    s = "%s: %s" % (name, schema.get("type", "object"))
    if "format" in schema:
        s += " format=%s" % schema["format"]
    if "default" in schema:
        s += " default=%s" % (schema["default"],)
    for k in ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"):
        if k in schema:
            s += " %s=%s" % (k, schema[k])
    if required:
        s += " REQUIRED"
    return s + enum_text(schema)


def fields(schema, depth, out):
    props = schema.get("properties") or {}
    req = set(schema.get("required") or [])
    for name in sorted(props):
        sub = props[name]
        out.append("  " * depth + head(name, sub, name in req))
        children(sub, depth + 1, out)


def children(sub, depth, out):
    t = sub.get("type")
    if t == "object":
        fields(sub, depth, out)
    elif t == "array":
        items = sub.get("items") or {}
        if items.get("type") == "object" or "properties" in items:
            fields(items, depth, out)
        elif items.get("x-open-enum"):
            out.append("  " * depth + "[items" + enum_text(items, False) + "]")


def flatten(doc):
    out = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            out.append("== %s %s  (%s)" % (method.upper(), path, op.get("operationId", "")))
            for p in op.get("parameters") or []:
                line = "  " + head(p["name"], p.get("schema", {}), p.get("required", False))
                if p.get("description"):
                    line += "  # " + p["description"]
                out.append(line)
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            if "schema" in body:
                fields(body["schema"], 1, out)
    return "\n".join(out) + "\n"


def main():
    src = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ENDPOINTS:
        with open(os.path.join(src, name + ".yml"), encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        with open(os.path.join(here, "schema_" + name + ".txt"), "w", encoding="utf-8") as f:
            f.write(flatten(doc))


if __name__ == "__main__":
    main()
