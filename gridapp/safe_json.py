"""JSON from outside (bundles, enrolment requests, receipt payloads, typed answers),
parsed within bounds: size first, then depth. A hostile document is refused with
`JsonRefused` (a ValueError), never a RecursionError or a process that runs out of
memory.

msgspec parses (several times faster than `json`, and it stops a deep document with a
RecursionError instead of crashing); the depth is then checked without recursion, so
the bound is ours, not the interpreter's.
"""

from __future__ import annotations

from typing import Any

import msgspec

DEFAULT_MAX_DEPTH = 32


class JsonRefused(ValueError):
    """`reason`: size, depth or syntax."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_DECODER = msgspec.json.Decoder()


def loads(data: bytes | str, *, max_bytes: int, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    if len(data) > max_bytes:
        raise JsonRefused("size")
    try:
        value = _DECODER.decode(data)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise JsonRefused("depth" if isinstance(exc, RecursionError) else "syntax") from exc
    check_depth(value, max_depth)
    return value


def check_depth(value: Any, max_depth: int) -> None:
    """Refuse containers nested deeper than `max_depth` (a scalar is depth 0)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= max_depth:
            raise JsonRefused("depth")
        stack.extend((child, depth + 1) for child in children)
