"""Generated Chinese names and fake phone numbers, deterministic for a seeded RNG."""

from __future__ import annotations

import random

# Weighted towards surnames common in Shanghai; includes polyphonic ones the search
# must handle (曾 zeng, 单 shan, 仇 qiu, 解 xie, 查 zha, 区 ou, 乐 yue, 盖 ge).
_SURNAMES = (
    ("王", 60),
    ("张", 50),
    ("陈", 50),
    ("李", 45),
    ("徐", 40),
    ("周", 38),
    ("朱", 36),
    ("沈", 34),
    ("陆", 30),
    ("顾", 30),
    ("吴", 30),
    ("刘", 30),
    ("黄", 28),
    ("杨", 26),
    ("钱", 24),
    ("孙", 22),
    ("胡", 20),
    ("金", 20),
    ("施", 18),
    ("蒋", 16),
    ("姚", 16),
    ("曹", 14),
    ("唐", 14),
    ("许", 14),
    ("范", 12),
    ("严", 12),
    ("倪", 10),
    ("汪", 10),
    ("马", 10),
    ("高", 10),
    ("林", 10),
    ("郑", 10),
    ("谢", 8),
    ("宋", 8),
    ("戴", 8),
    ("丁", 8),
    ("任", 6),
    ("叶", 8),
    ("袁", 6),
    ("潘", 6),
    ("邵", 6),
    ("龚", 6),
    ("曾", 5),
    ("单", 4),
    ("仇", 3),
    ("解", 2),
    ("查", 2),
    ("区", 1),
    ("乐", 2),
    ("盖", 1),
)
_SURNAME_CHOICES = [s for s, _ in _SURNAMES]
_SURNAME_WEIGHTS = [w for _, w in _SURNAMES]

_OLD_MALE = "国建明华德福根荣伟忠民兴宝林海生龙金祥强富才仁"
_OLD_FEMALE = "秀英芳兰珍娣凤玉妹琴桂美华萍菊霞芬莲娟丽红"
_YOUNG_MALE = "浩宇轩杰俊涛磊鹏晨辰博文昊睿航逸凯哲毅"
_YOUNG_FEMALE = "欣怡婷雯琳佳颖悦涵萱敏静倩瑶璐洁蕾晴"


def person_name(rng: random.Random, birth_year: int, female: bool) -> str:
    surname = rng.choices(_SURNAME_CHOICES, _SURNAME_WEIGHTS)[0]
    if birth_year < 1975:
        pool = _OLD_FEMALE if female else _OLD_MALE
    else:
        pool = _YOUNG_FEMALE if female else _YOUNG_MALE
    length = 1 if rng.random() < 0.25 else 2
    return surname + "".join(rng.choice(pool) for _ in range(length))


_MOBILE_PREFIXES = (
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "158",
    "159",
    "177",
    "180",
    "186",
    "187",
    "189",
    "199",
)


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random) -> str:
    # Shanghai fixed lines: 021 + 8 digits starting 5 or 6 in Pudong.
    return "021" + rng.choice("56") + f"{rng.randrange(10**7):07d}"
