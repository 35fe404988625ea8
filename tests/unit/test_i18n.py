"""Both catalogs know every key the code uses."""

from __future__ import annotations

import re
from pathlib import Path

from gridapp import codes, errors
from gridapp.i18n import LANGUAGES, Catalog

ROOT = Path(__file__).resolve().parents[2] / "gridapp"
_KEY = re.compile(r"""["']((?:error|cli|ui|count)\.[a-z0-9_.]+)["']""")


def _keys_in_code() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        found |= {k for k in _KEY.findall(path.read_text(encoding="utf-8")) if not k.endswith(".")}
    return found


def test_languages_have_the_same_keys() -> None:
    zh, en = (Catalog(lang).known_keys() for lang in LANGUAGES)
    assert zh == en


def test_every_key_used_in_code_is_in_the_catalog() -> None:
    known = Catalog("zh_CN").known_keys()
    prefixes = ("cli.demo_stage.", "cli.default_device_name.", "count.")
    missing = {k for k in _keys_in_code() if k not in known and not k.startswith(prefixes)}
    assert not missing


def test_every_error_class_and_code_has_words() -> None:
    catalog = Catalog("zh_CN")
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, errors.GridappError):
            assert value.key in catalog.known_keys()
    pairs = [
        ("mode", codes.VisitMode),
        ("outcome", codes.Outcome),
        ("reaction", codes.Reaction),
        ("category", codes.SuggestionCategory),
        ("channel", codes.Channel),
        ("household_status", codes.HouseholdStatus),
        ("relation", codes.Relation),
        ("suggestion_status", codes.SuggestionStatus),
        ("building_kind", codes.BuildingKind),
    ]
    for kind, enum in pairs:
        for member in enum:
            assert f"code.{kind}.{member.value}" in catalog.known_keys(), (kind, member)


def test_parameters_fill_and_missing_ones_do_not_crash() -> None:
    zh = Catalog("zh_CN")
    assert "W0101" in zh.tr("error.worker_not_found", code="W0101")
    assert "{code}" in zh.tr("error.worker_not_found")
    assert Catalog("en").code("outcome", "not_home") == "not home"
    assert Catalog("xx").lang == "zh_CN"


def test_a_singular_is_a_variant_of_a_known_key() -> None:
    en = Catalog("en")
    assert en.singular_keys()  # English has some
    for key in en.singular_keys():
        assert key.removesuffix("#one") in en.known_keys(), key
    assert en.tr("ui.timeline.explained", count=1) == "1 policy item explained"
    assert en.tr("ui.timeline.explained", count=2) == "2 policy items explained"
    assert Catalog("zh_CN").tr("ui.timeline.explained", count=1) == "宣讲 1 条"
