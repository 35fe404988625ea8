"""The PIN rule: the guesses anyone tries first are refused, each with its own reason in
Chinese; real PINs and passphrases pass; the demo's published PINs stay usable there."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridapp.clock import FixedClock
from gridapp.errors import AccessDenied, InvalidInput
from gridapp.i18n import Catalog
from gridapp.trust.accounts import AccountBook
from gridapp.trust.crypto import FAST
from gridapp.trust.keyring import load_keyring
from gridapp.trust.pins import COMMON_PINS, check_new_pin, pin_problem

WEAK = {
    "error.trust.pin_too_short": ["12345", "", "a1b2"],
    "error.trust.pin_blank": ["      ", "\u3000\u3000\u3000\u3000\u3000\u3000", "        "],
    "error.trust.pin_edge_space": [" 246813", "246813 ", " 南码头 7 号楼 "],
    "error.trust.pin_control": ["2468\t13", "246\n813", "24681\x003"],
    "error.trust.pin_repeated": [
        "000000", "111111", "999999", "aaaaaa", "AAAaaa", "哈哈哈哈哈哈", "121212",
        "123123", "abcabc", "520520", "521521", "168168", "888888", "666666", "12341234",
        "１１１１１１",
    ],
    "error.trust.pin_sequence": [
        "123456", "654321", "987654", "890123", "0123456789", "abcdef", "FEDCBA",
        "１２３４５６",
    ],
    "error.trust.pin_keyboard": [
        "147258", "258369", "369147", "159753", "357159", "741852", "852963", "147369",
        "123789", "789123", "2580147", "qwerty", "QWERTY", "asdfgh", "zxcvbn",
        "1qaz2wsx", "qazwsx", "qwertyuiop", "poiuytrewq",
    ],
    "error.trust.pin_common": [
        "131420", "112233", "520131", "5201314", "1314520", "666888", "110120",
        "woaini1314", "password", "Password", "abc123",
    ],
}  # fmt: skip
GOOD = [
    "246813", "135792", "802468", "975310", "864200", "319746", "600128", "73950246",
    "南码头 7 号楼", "correct horse", "浦东南路 1550", "w0101-bike",
]  # fmt: skip


@pytest.mark.parametrize(("key", "pin"), [(k, p) for k, pins in WEAK.items() for p in pins])
def test_weak_pins_are_refused_with_their_reason(key: str, pin: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check_new_pin(pin)
    assert info.value.key == key
    words = Catalog("zh_CN").error(info.value)
    assert "PIN" in words and "error." not in words  # a Chinese sentence, not a key


@pytest.mark.parametrize("pin", GOOD)
def test_real_pins_and_passphrases_pass(pin: str) -> None:
    assert pin_problem(pin) is None


def test_every_reason_reads_as_too_simple_in_chinese() -> None:
    zh = Catalog("zh_CN")
    for key in ("pin_repeated", "pin_sequence", "pin_keyboard", "pin_common", "pin_blank"):
        assert "PIN 太简单" in zh.error(InvalidInput(f"error.trust.{key}"))


def test_the_common_list_holds_only_what_the_patterns_miss() -> None:
    for pin in COMMON_PINS:
        problem = pin_problem(pin)
        assert pin == pin.lower() and problem is not None
        assert problem.key == "error.trust.pin_common", pin
    brief = ("000000", "111111", "123456", "888888", "520520", "131420", "112233", "666666")
    assert all(pin_problem(pin) is not None for pin in (*brief, "168168", "123321"))


def test_a_pin_may_not_contain_the_accounts_code() -> None:
    problem = pin_problem("w0101x7", "W0101")
    assert problem is not None and problem.key == "error.trust.pin_has_code"
    assert pin_problem("w0101x7", "W0102") is None


def test_the_account_book_applies_the_same_rule(tmp_path: Path, clock: FixedClock) -> None:
    book = AccountBook(tmp_path / "keyring.json", clock, FAST)
    with pytest.raises(InvalidInput) as info:
        book.create("A0001", "admin", "147258")
    assert info.value.key == "error.trust.pin_keyboard"
    admin, _ = book.create("A0001", "admin", "246813")
    for call in (
        lambda: book.add(admin, "W0101", "field", "121212"),
        lambda: book.reset_pin(admin, "A0001", "520520"),
        lambda: book.change_pin("A0001", "246813", "      "),
    ):
        with pytest.raises(InvalidInput):
            call()
    assert [a.code for a in book.accounts()] == ["A0001"]
    assert book.sign_in("A0001", "246813").code == "A0001"  # unchanged


def test_the_demo_keyring_keeps_its_published_pins(tmp_path: Path, clock: FixedClock) -> None:
    """README and the demo's sign-in screen publish 147258 / 258369 / 369147: the rule
    guards secrets, and those are not; their length still counts."""
    book = AccountBook(tmp_path / "keyring.json", clock, FAST)
    admin, _ = book.create("A0001", "admin", "147258", demo=True)
    book.add(admin, "B0001", "office", "258369")
    assert book.sign_in("B0001", "258369").role == "office"
    with pytest.raises(InvalidInput):
        book.add(admin, "W0101", "field", "12345")


def test_an_empty_pin_is_no_attempt(tmp_path: Path, clock: FixedClock) -> None:
    book = AccountBook(tmp_path / "keyring.json", clock, FAST)
    book.create("A0001", "admin", "246813")
    for _ in range(7):
        with pytest.raises(InvalidInput):
            book.sign_in("A0001", "")
    with pytest.raises(AccessDenied) as info:
        book.sign_in("A0001", "000000")
    assert info.value.params["left"] == 4  # the first real attempt, counted once
    keyring = load_keyring(book.path)
    assert keyring is not None and keyring.accounts[0].failures == 1
