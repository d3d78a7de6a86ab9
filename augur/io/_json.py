"""The one way augur reads JSON, for graphs (:mod:`augur.io.nodelink`) and scenarios
(:mod:`augur.scenario`) alike: ``json.loads`` that refuses a key given twice in one object, as
:func:`augur.io._yaml.load_yaml` does, where the standard reader keeps the last one silently.

>>> load_json('{"steps": 10, "name": "j"}')
{'steps': 10, 'name': 'j'}
>>> load_json('{"steps": 10,\\n "steps": 20}')
Traceback (most recent call last):
json.decoder.JSONDecodeError: key 'steps' given twice in one object: line 2 column 2 (char 15)
"""

from __future__ import annotations

import json
from json.decoder import JSONObject, scanstring
from json.scanner import py_make_scanner
from typing import Any

__all__ = ["load_json"]


class _Twice(Exception):
    """A key given twice, found by the fast reader; where it stands is found by the slow one."""


def _unique(pairs: list[tuple[str, Any]]) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Twice
    return found


def load_json(text: str) -> Any:
    """``json.loads(text)``, but a key given twice in one object raises ``json.JSONDecodeError`` at
    the second one's line and column (the fast C reader reads; only a file with such a key is read
    again, by the pure-Python one, to find the place)."""
    try:
        return json.loads(text, object_pairs_hook=_unique)
    except _Twice:
        pass
    decoder = json.JSONDecoder()
    decoder.parse_object = _placed_object
    decoder.scan_once = py_make_scanner(decoder)
    return decoder.decode(text)


def _placed_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
    """``json.decoder.JSONObject`` that raises at a key given twice, with its place in the text."""
    text, begin = s_and_end
    pairs, end = JSONObject(s_and_end, strict, scan_once, None, list, memo)
    seen = set()
    for key, at in _keys(text, begin, end):
        if key in seen:
            raise json.JSONDecodeError(f"key {key!r} given twice in one object", text, at)
        seen.add(key)
    return dict(pairs), end


def _keys(text: str, begin: int, end: int):
    """The keys of the object whose text runs from ``begin`` (after its ``{``) to ``end``, each with
    where it starts: the strings at the object's own depth that a ``:`` follows."""
    depth, at = 0, begin
    while at < end:
        char = text[at]
        if char == '"':
            key, after = scanstring(text, at + 1)
            if depth == 0 and text[after:end].lstrip().startswith(":"):
                yield key, at
            at = after
            continue
        depth += char in "{["
        depth -= char in "}]"
        at += 1
