#!/usr/bin/python3
"""Strict check of Kubernetes manifests, as the API server with field validation Strict would do it.

Reads YAML documents (files given, or stdin) and checks every object against the Kubernetes API models of
Debian's python3-kubernetes: unknown fields, wrong types and missing required fields are errors. The
prometheus-operator kinds the chart can render (ServiceMonitor, PrometheusRule) are checked against the part of
their CRDs the chart uses. Prints one line per problem and exits 1 when there is any.
"""
import re
import sys

import yaml
from kubernetes.client import models

# Debian's python3-kubernetes (22.6, Kubernetes 1.22) predates autoscaling/v2, which went GA with the same schema
# as v2beta2 (removed in 1.26): check it against those models.
NEWER_THAN_MODELS = {"autoscaling/v2": "v2beta2"}

PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": (int, float)}

# prometheus-operator's monitoring.coreos.com/v1, the fields the chart renders (a subset of the CRDs)
CUSTOM = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): {
        "spec": {"selector": {"matchLabels": "dict(str, str)"},
                 "endpoints": [{"port": "str", "path": "str", "interval": "str"}]},
    },
    ("monitoring.coreos.com/v1", "PrometheusRule"): {
        "spec": {"groups": [{"name": "str", "rules": [{"alert": "str", "record": "str", "expr": "str",
                                                       "for": "str", "labels": "dict(str, str)",
                                                       "annotations": "dict(str, str)"}]}]},
    },
}


def required_fields(cls):
    """The attributes whose setter refuses None: the model's required fields."""
    required = []
    instance = cls.__new__(cls)
    instance.local_vars_configuration = models.V1ObjectMeta().local_vars_configuration
    for attribute in cls.openapi_types:
        try:
            setattr(instance, attribute, None)
        except ValueError:
            required.append(cls.attribute_map[attribute])
    return required


def check(value, type_name, path, problems):
    if value is None:
        return
    if type_name == "object":  # int-or-string, quantities, free-form
        return
    if type_name in PRIMITIVES:
        expected = PRIMITIVES[type_name]
        if isinstance(value, bool) and type_name != "bool" or not isinstance(value, expected):
            problems.append(f"{path}: expected {type_name}, got {type(value).__name__} {value!r}")
        return
    if type_name == "datetime":
        return
    match = re.fullmatch(r"list\[(.+)\]", type_name)
    if match:
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            check(item, match.group(1), f"{path}[{i}]", problems)
        return
    match = re.fullmatch(r"dict\(str, (.+)\)", type_name)
    if match:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map, got {type(value).__name__}")
            return
        for key, item in value.items():
            check(item, match.group(1), f"{path}.{key}", problems)
        return
    cls = getattr(models, type_name)
    check_model(value, cls, path, problems)


def check_model(value, cls, path, problems):
    if not isinstance(value, dict):
        problems.append(f"{path}: expected an object ({cls.__name__}), got {type(value).__name__}")
        return
    fields = {json_name: python_name for python_name, json_name in cls.attribute_map.items()}
    for key, item in value.items():
        if key not in fields:
            problems.append(f"{path}.{key}: unknown field (not in {cls.__name__})")
            continue
        check(item, cls.openapi_types[fields[key]], f"{path}.{key}", problems)
    for key in required_fields(cls):
        if key not in value:
            problems.append(f"{path}: required field {key} missing ({cls.__name__})")


def check_custom(value, shape, path, problems):
    if isinstance(shape, str):
        check(value, shape, path, problems)
    elif isinstance(shape, list):
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return
        for i, item in enumerate(value):
            check_custom(item, shape[0], f"{path}[{i}]", problems)
    else:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object")
            return
        for key, item in value.items():
            if key not in shape:
                problems.append(f"{path}.{key}: unknown field")
            else:
                check_custom(item, shape[key], f"{path}.{key}", problems)


def check_object(document, where, problems):
    api_version, kind = document.get("apiVersion"), document.get("kind")
    name = (document.get("metadata") or {}).get("name", "?")
    path = f"{where}: {kind}/{name}"
    if not api_version or not kind:
        problems.append(f"{path}: apiVersion and kind are required")
        return
    custom = CUSTOM.get((api_version, kind))
    if custom is not None:
        rest = {k: v for k, v in document.items() if k not in ("apiVersion", "kind", "metadata")}
        check_model(document.get("metadata") or {}, models.V1ObjectMeta, path + ".metadata", problems)
        check_custom(rest, custom, path, problems)
        return
    version = NEWER_THAN_MODELS.get(api_version, api_version.split("/")[-1])
    cls = getattr(models, version[0].upper() + version[1:] + kind, None)
    if cls is None:
        problems.append(f"{path}: no such kind in the Kubernetes API ({api_version})")
        return
    check_model(document, cls, path, problems)


def main(paths):
    problems = []
    count = 0
    sources = [(p, open(p, encoding="utf-8").read()) for p in paths] or [("stdin", sys.stdin.read())]
    for where, text in sources:
        for document in yaml.safe_load_all(text):
            if document:
                count += 1
                check_object(document, where, problems)
    for problem in problems:
        print(problem)
    print(f"{count} objects checked, {len(problems)} problems", file=sys.stderr)
    return 1 if problems or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
