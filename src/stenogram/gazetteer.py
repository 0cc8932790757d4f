"""Shipped name tables (``stenogram/data``), loaded once and shared by parse and enrich."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


def load(name: str) -> Any:
    """A JSON table shipped in ``stenogram/data``."""
    return json.loads(resources.files("stenogram.data").joinpath(name).read_text("utf-8"))


@cache
def country_names() -> dict[str, str]:
    """Every country name form (case-folded) → ISO 3166-1 alpha-2."""
    table: dict[str, str] = {}
    for code, by_language in load("countries.json")["names"].items():
        for forms in by_language.values():
            for form in forms:
                table.setdefault(form.casefold(), code)
    return table


def country_code(name: str) -> str | None:
    """The ISO code for a country name form (``Iraq``, ``Ирака``, ``the Russian Federation``)."""
    key = name.strip(" ,.").casefold()
    table = country_names()
    if key in table:
        return table[key]
    if key.startswith("the "):
        return table.get(key[4:])
    return None


@cache
def _country_forms() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, by_language in load("country_aliases.json")["countries"].items():
        for language, forms in by_language.items():
            if not language.startswith("ru_"):
                for form in forms:
                    table.setdefault(form.casefold(), code)
    return table


def country_of_adjective(word: str) -> str | None:
    """The ISO code for a country's adjective or demonym (``Serbian``, ``kanadisch``, ``australien``)."""
    return _country_forms().get(word.strip(" ,.").casefold())
