"""Record identity: UUIDv7 made where the record is born (RFC 9562 §5.7)."""

from __future__ import annotations

import os
import random
import uuid
from datetime import datetime

from gridapp.clock import epoch_ms


def uuid7(moment: datetime | None = None, rng: random.Random | None = None) -> str:
    """A time-ordered UUID: 48-bit Unix ms, version 7, 74 random bits.

    Natural keys (building/room) are attributes, never identity, so two laptops can
    create records for the same room without colliding.
    """
    ms = epoch_ms(moment) if moment is not None else epoch_ms(datetime.now().astimezone())
    rand = rng.getrandbits(80) if rng is not None else int.from_bytes(os.urandom(10), "big")
    rand_a = (rand >> 62) & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def is_uuid7(text: str) -> bool:
    try:
        return uuid.UUID(text).version == 7
    except ValueError:
        return False
