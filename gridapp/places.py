"""Places as people name them: a building is 建业新村1号 (or 建业新村 1, or its id), a
grid its name or code (with its compound when two compounds use the same name), a
compound its name. Pure: the candidates come from storage, the words from the catalog."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from gridapp.errors import InvalidInput, NotFound

#: How many candidates an "ambiguous" message lists.
SHOWN = 6


@dataclass(frozen=True)
class Place:
    id: str
    label: str  # how it is shown: 建业新村1号, 建业新村 · 一网格
    names: tuple[str, ...]  # every normalised way to name it


def normalise(text: str) -> str:
    """Full-width digits and letters to half-width, no spaces or 号/#, lower case."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[\s·#号栋幢]+", "", text)


def building(id: str, compound: str, number: str) -> Place:
    label = f"{compound}{number}号"
    # The number alone names it too, when only one compound has that number.
    return Place(id, label, (normalise(f"{compound}{number}"), normalise(number)))


def grid(id: str, compound: str, name: str, code: str) -> Place:
    names = [normalise(name), normalise(f"{compound}{name}")]
    if code:
        names += [normalise(code), normalise(f"{compound}{code}")]
    return Place(id, f"{compound} · {name}", tuple(dict.fromkeys(names)))


def compound(id: str, name: str) -> Place:
    return Place(id, name, (normalise(name),))


def resolve(kind: str, ref: str, candidates: Iterable[Place]) -> str:
    """The one place `ref` names: its id, or a name that fits exactly one. Several
    fits are refused with their labels (建业新村1号、临沂二村1号); none is not found."""
    places = list(candidates)
    for place in places:
        if place.id == ref.strip():
            return place.id
    wanted = normalise(ref)
    fits = [p for p in places if wanted and wanted in p.names]
    if len(fits) == 1:
        return fits[0].id
    if not fits:
        raise NotFound(f"error.place.{kind}_not_found", ref=ref[:80])
    labels = "、".join(p.label for p in fits[:SHOWN]) + ("…" if len(fits) > SHOWN else "")
    raise InvalidInput(
        f"error.place.{kind}_ambiguous", ref=ref[:80], count=len(fits), labels=labels
    )
