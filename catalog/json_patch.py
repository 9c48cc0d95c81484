"""JSON Patch (RFC 6902 add / remove / replace) as DataHub sources send aspect patches.

DataHub addresses array members by key (``/tags/urn:li:tag:x``) as well as by index; a
keyed add appends the value unless an equal one is there, a keyed remove drops members
whose value, or whose first field, equals the key.
"""

from __future__ import annotations

import copy
from typing import Any


class PatchError(ValueError):
    """A patch that cannot be applied to the document."""


def _tokens(path: str) -> list[str]:
    if not path.startswith("/"):
        raise PatchError(f"bad JSON pointer: {path!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/")]


def _matches(member: Any, key: str) -> bool:
    if member == key:
        return True
    return isinstance(member, dict) and bool(member) and next(iter(member.values())) == key


def _apply_one(doc: Any, op: dict[str, Any]) -> Any:
    kind, tokens = op.get("op"), _tokens(op.get("path", ""))
    if kind not in ("add", "remove", "replace"):
        raise PatchError(f"unsupported patch operation: {kind!r}")
    if tokens == [""]:
        return copy.deepcopy(op["value"]) if kind != "remove" else {}
    parent = doc
    for token in tokens[:-1]:
        if isinstance(parent, list):
            parent = parent[int(token)]
        else:
            parent = parent.setdefault(token, {}) if kind != "remove" else parent.get(token, {})
    last = tokens[-1]
    if isinstance(parent, list):
        if last == "-" or (last.isdigit() and kind == "add"):
            index = len(parent) if last == "-" else int(last)
            parent.insert(index, copy.deepcopy(op["value"]))
        elif last.isdigit():
            if kind == "remove":
                del parent[int(last)]
            else:
                parent[int(last)] = copy.deepcopy(op["value"])
        elif kind == "remove":
            parent[:] = [m for m in parent if not _matches(m, last)]
        elif op["value"] not in parent:
            parent.append(copy.deepcopy(op["value"]))
    elif kind == "remove":
        parent.pop(last, None)
    else:
        parent[last] = copy.deepcopy(op["value"])
    return doc


def apply_patch(document: dict[str, Any], operations: list[dict[str, Any]]) -> dict[str, Any]:
    """A patched copy of ``document``."""
    result: Any = copy.deepcopy(document)
    for operation in operations:
        result = _apply_one(result, operation)
    return result
