"""The GR1 payload: canonical, signed, ASCII; damaged input is refused clearly."""

from __future__ import annotations

import pytest
from nacl.signing import SigningKey

from gridapp.paper import receipt_code as rc

KEY = SigningKey(bytes(range(32)))


def _sign(message: bytes) -> bytes:
    return bytes(KEY.sign(message).signature)


def _body() -> dict[str, str]:
    return rc.make_body(
        visit_id="018c3cc0-d680-7116-a302-6e4a7174cb1c",
        household_code="LYEC-1-2-102",
        device_id="018c3256-d280-7093-b51f-d081fc76cc64",
        started_at="2023-12-06T09:32:00+08:00",
        mode="in_person",
        outcome="met",
        digest=rc.content_digest({"visit": {"notes": "门口聊了十分钟"}}),
    )


def test_a_payload_round_trips_and_is_ascii() -> None:
    payload = rc.make_payload(_body(), _sign)
    assert payload.isascii() and payload.startswith("GR1.") and payload.count(".") == 2
    body, signature = rc.parse_payload(payload)
    assert body == _body()
    KEY.verify_key.verify(rc.signed_message(body), signature)


def test_signing_is_deterministic_so_a_reprint_has_the_same_code() -> None:
    first, second = (rc.make_payload(_body(), _sign) for _ in range(2))
    assert first == second
    assert rc.short_code(first) == rc.short_code(second)


def test_the_digest_covers_content_not_key_order() -> None:
    assert rc.content_digest({"a": 1, "b": "x"}) == rc.content_digest({"b": "x", "a": 1})
    assert rc.content_digest({"a": 1}) != rc.content_digest({"a": 2})
    assert len(rc.unb64url(rc.content_digest({"a": 1}))) == 16


def test_short_code_is_eight_crockford_characters() -> None:
    code = rc.short_code(rc.make_payload(_body(), _sign))
    assert len(code) == 9 and code[4] == "-"
    assert all(ch in "0123456789ABCDEFGHJKMNPQRSTVWXYZ" for ch in code.replace("-", ""))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("abcd-efgh", "ABCD-EFGH"), ("ABCDEFGH", "ABCD-EFGH"), ("0OIL-1234", "0011-1234")],
)
def test_typed_short_codes_normalise(typed: str, stored: str) -> None:
    assert rc.normalise_short_code(typed) == stored


@pytest.mark.parametrize("text", ["ABC-DEFG", "ABCD-EFGU", "GR1.x.y", ""])
def test_other_text_is_not_a_short_code(text: str) -> None:
    assert rc.normalise_short_code(text) is None


def _damaged() -> list[str]:
    good = rc.make_payload(_body(), _sign)
    prefix, body, sig = good.split(".")
    odd = rc.b64url(b'{"v": "x"}')
    spaced = rc.b64url(rc.canonical_json(_body()).replace(b",", b", "))
    return [
        good[: len(good) // 2],  # torn off mid-body
        good[:-10],  # signature truncated
        f"GR2.{body}.{sig}",
        f"{prefix}.{body}",
        f"{prefix}.{body}!.{sig}",
        f"{prefix}.{odd}.{sig}",
        f"{prefix}.{spaced}.{sig}",  # same content, not canonical
        f"{prefix}.{rc.b64url(b'not json')}.{sig}",
        "https://example.com/",
        "",
    ]


@pytest.mark.parametrize("text", _damaged())
def test_damaged_payloads_are_malformed(text: str) -> None:
    with pytest.raises(rc.MalformedPayload):
        rc.parse_payload(text)


def test_a_body_must_have_every_field() -> None:
    body = _body()
    del body["c"]
    with pytest.raises(ValueError, match="lacks"):
        rc.make_payload(body, _sign)
