from __future__ import annotations

import pytest

from gridapp.model import format_address, mask_phone


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13812341234", "138****1234"),
        ("138 1234 1234", "138****1234"),
        ("02158881234", "021****1234"),
        ("12345", "*****"),
    ],
)
def test_mask_phone(number: str, masked: str) -> None:
    assert mask_phone(number) == masked


def test_format_address() -> None:
    assert format_address("建业新村", "12", "1", "301") == "建业新村12号1单元301室"
    assert format_address("光鸿苑", "3", "", "1802") == "光鸿苑3号1802室"


def test_numbers_typed_in_free_text_are_masked_but_rooms_and_dates_stay() -> None:
    from gridapp.model import mask_numbers

    assert mask_numbers("请联系13812345678") == "请联系138****5678"
    assert mask_numbers("电话 138 1234 5678 找张") == "电话 138****5678 找张"
    assert mask_numbers("１３８１２３４５６７８") == "138****5678"  # full-width digits
    assert mask_numbers("021-6234 5678") == "021****5678"
    assert mask_numbers("身份证31010119900101123X") == "身份证310**********1123X"
    kept = "3号楼502室住了 4 人，2026-12-06 再来"
    assert mask_numbers(kept) == kept
