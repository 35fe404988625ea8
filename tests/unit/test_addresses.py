"""Household codes: the demo and the roster import make them the same way."""

from __future__ import annotations

from gridapp.addresses import compound_abbr, household_code
from gridapp.demo.build import PLANS


def test_initials_match_the_demo_compounds() -> None:
    assert [compound_abbr(p.name) for p in PLANS] == [p.abbr for p in PLANS]
    assert compound_abbr("7号小区") == "7HXQ"
    assert compound_abbr("Ａ区花园") == "AQHY"
    assert compound_abbr("——") == "HH"


def test_codes() -> None:
    assert household_code("JYXC", "12", "", "301") == "JYXC-12-301"
    assert household_code("JYXC", "12", "2", "301") == "JYXC-12-2-301"
