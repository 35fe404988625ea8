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
