"""A small JSON-schema checker for the subset tool specs use.

Supported: `type` (one or a list), `enum`, `const`, `minimum`/`maximum`, `exclusiveMinimum`/
`exclusiveMaximum`, `minLength`/`maxLength`, `properties`, `required`, `additionalProperties`
(false or a schema), `items`, `minItems`/`maxItems`. Two leniencies for small local models, both
applied to a copy: a whole float (`20.0`) counts as an integer, and a string holding only a number
(`"20"`) counts as a number. Any other keyword is ignored.
"""

from __future__ import annotations

import math
import re
from typing import Any

_NUMBER = re.compile(r"\s*-?\d+(?:\.\d+)?\s*")
MAX_DEPTH = 8


class SchemaError(ValueError):
    """The value does not fit the schema; `str(exc)` says where and why in one short sentence."""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _coerce(value: Any, types: list[str]) -> Any:
    """The value as one of `types`, using the two leniencies, or the value unchanged."""
    kind = _kind(value)
    if kind in types or (kind == "integer" and "number" in types):
        return value
    if kind == "number" and "integer" in types and math.isfinite(value) and float(value).is_integer():
        return int(value)
    if kind == "string" and ("number" in types or "integer" in types) and _NUMBER.fullmatch(value):
        number = float(value)
        if "integer" in types and number.is_integer():
            return int(number)
        if "number" in types:
            return number
    return value


def check(value: Any, schema: dict[str, Any], where: str = "arguments", depth: int = 0) -> Any:
    """Return `value` (coerced as the leniencies allow) or raise `SchemaError`."""
    if depth > MAX_DEPTH:
        raise SchemaError(f"{where} is nested too deeply")
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else list(types)
        value = _coerce(value, types)
        kind = _kind(value)
        if kind not in types and not (kind == "integer" and "number" in types):
            raise SchemaError(f"{where} must be {' or '.join(types)}, not {kind}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SchemaError(f"{where} must be a finite number")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{where} must be one of {', '.join(map(str, schema['enum']))[:200]}")
    if "const" in schema and value != schema["const"]:
        raise SchemaError(f"{where} must be {schema['const']}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        _check_number(value, schema, where)
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise SchemaError(f"{where} is too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise SchemaError(f"{where} is longer than {schema['maxLength']} characters")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", math.inf):
            raise SchemaError(f"{where} has the wrong number of items")
        item_schema = schema.get("items")
        if isinstance(item_schema, dict):
            value = [check(v, item_schema, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        value = _check_object(value, schema, where, depth)
    return value


def _check_number(value: float, schema: dict[str, Any], where: str) -> None:
    if "minimum" in schema and value < schema["minimum"]:
        raise SchemaError(f"{where} must be at least {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        raise SchemaError(f"{where} must be at most {schema['maximum']}")
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        raise SchemaError(f"{where} must be above {schema['exclusiveMinimum']}")
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        raise SchemaError(f"{where} must be below {schema['exclusiveMaximum']}")


def _check_object(value: dict[str, Any], schema: dict[str, Any], where: str, depth: int) -> dict[str, Any]:
    props: dict[str, Any] = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            raise SchemaError(f"{name} is missing")
    extra = schema.get("additionalProperties", True)
    out: dict[str, Any] = {}
    for key, item in value.items():
        label = key if where == "arguments" else f"{where}.{key}"
        if key in props:
            out[key] = check(item, props[key], label, depth + 1)
        elif extra is False:
            raise SchemaError(f"{label[:40]} is not an argument of this tool")
        elif isinstance(extra, dict):
            out[key] = check(item, extra, label, depth + 1)
        else:
            out[key] = item
    return out
