"""A campaign of the dashboard bench's size, written straight into the tables: 100,000
households and 200,000 visits in seconds, where the demo's service calls take minutes.

The rows are shaped like the demo's week (16 teams walking their buildings over seven
days; 80 % met, callbacks after not-home, corrections and voids, laptops with a bundle
missing), so every dashboard query meets the distribution it will meet in the office.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from gridapp.clock import CHINA_TZ, iso
from gridapp.services import Services
from gridapp.storage.store import Store

START = date(2023, 12, 4)
DAYS = 7
TEAMS = 16
PER_BUILDING = 40
COMPOUNDS = ("建业新村", "临沂二村", "光鸿苑", "东方城市花园二期")
OUTCOMES = (("met", 0.80), ("not_home", 0.13), ("appointment", 0.03), ("refused", 0.03))


def _ids(prefix: str, n: int) -> list[str]:
    # Fixed-width ids sort like UUIDv7 strings do (by creation): the same index shapes.
    return [f"{prefix}-{i:08d}" for i in range(n)]


def _at(rng: random.Random, day: int) -> str:
    base = datetime.combine(START + timedelta(days=day), time(9), CHINA_TZ)
    return iso(base + timedelta(minutes=rng.choice((rng.randint(0, 180), rng.randint(510, 690)))))


def build(folder: Path, households: int = 100_000, visits: int = 200_000, seed: int = 1) -> Path:
    """Write the bench database into `folder` (once; reused when already there)."""
    path = folder / "gridapp.db"
    if path.exists():
        return path
    rng = random.Random(seed)
    services = Services(Store.open(path))
    services.device.initialise("office", "bench office")
    store = services.store
    with store.replaying() as db:
        ex = db.conn.executemany
        created = iso(datetime.combine(START - timedelta(days=7), time(9), CHINA_TZ))
        compound_ids = _ids("co", len(COMPOUNDS))
        ex(
            "INSERT INTO compound (id, name, created_at) VALUES (?, ?, ?)",
            [(c, name, created) for c, name in zip(compound_ids, COMPOUNDS, strict=True)],
        )
        n_buildings = -(-households // PER_BUILDING)
        building_ids = _ids("bu", n_buildings)
        ex(
            "INSERT INTO building (id, compound_id, number, kind, floors, units, sort_key)"
            " VALUES (?, ?, ?, 'walkup', 6, 2, ?)",
            [
                (b, compound_ids[i * len(COMPOUNDS) // n_buildings], str(i + 1), i)
                for i, b in enumerate(building_ids)
            ],
        )
        household_ids = _ids("hh", households)
        ex(
            "INSERT INTO household (id, building_id, unit, floor, room, code, created_at)"
            " VALUES (?, ?, '1', ?, ?, ?, ?)",
            [
                (h, building_ids[i // PER_BUILDING], i % 6 + 1, f"{i % 6 + 1}0{i % 4}", h, created)
                for i, h in enumerate(household_ids)
            ],
        )
        team_ids = _ids("te", TEAMS)
        ex(
            "INSERT INTO team (id, number, name) VALUES (?, ?, ?)",
            [(t, n + 1, f"第{n + 1}组") for n, t in enumerate(team_ids)],
        )
        worker_ids = _ids("wo", TEAMS * 3)
        ex(
            "INSERT INTO worker (id, code, name, team_id) VALUES (?, ?, ?, ?)",
            [
                (w, f"W{i // 3 + 1:02d}{i % 3 + 1:02d}", w, team_ids[i // 3])
                for i, w in enumerate(worker_ids)
            ],
        )
        campaign = "ca-1"
        ex(
            "INSERT INTO campaign (id, name, starts_on, ends_on) VALUES (?, ?, ?, ?)",
            [
                (
                    campaign,
                    "bench",
                    START.isoformat(),
                    (START + timedelta(days=DAYS - 1)).isoformat(),
                )
            ],
        )
        ex(
            "INSERT INTO assignment (id, campaign_id, team_id, building_id) VALUES (?, ?, ?, ?)",
            [
                (f"as-{i:08d}", campaign, team_ids[i * TEAMS // n_buildings], b)
                for i, b in enumerate(building_ids)
            ],
        )
        policy = "po-1"
        ex(
            "INSERT INTO policy_item (id, title, body) VALUES (?, ?, ?)",
            [(policy, "物业费调价八问八答", "…")],
        )
        _visits(db.conn, rng, household_ids, worker_ids, team_ids, campaign, policy, visits)
        _sync(db.conn, rng, team_ids, created)
    store.close()
    return path


def _visits(
    conn: sqlite3.Connection,
    rng: random.Random,
    households: list[str],
    workers: list[str],
    teams: list[str],
    campaign: str,
    policy: str,
    total: int,
) -> None:
    visit_rows: list[tuple[Any, ...]] = []
    answers: list[tuple[Any, ...]] = []
    explanations: list[tuple[Any, ...]] = []
    suggestions: list[tuple[Any, ...]] = []
    callbacks: list[tuple[Any, ...]] = []
    voids: list[tuple[Any, ...]] = []

    def plan() -> Iterator[tuple[str, int]]:
        # Each team walks its share in order; households reached early get revisits.
        reach = int(len(households) * 0.75)
        for i in range(reach):
            yield households[i * len(households) // reach], i * DAYS // reach
        while True:
            i = rng.randrange(reach)
            yield households[i * len(households) // reach], rng.randrange(DAYS)

    for n, (household, day) in zip(range(total), plan(), strict=False):
        vid = f"vi-{n:08d}"
        worker = rng.randrange(len(workers))
        roll = rng.random()
        mode = "in_person" if roll < 0.92 else "phone" if roll < 0.97 else "online"
        roll = rng.random()
        outcome = next((o for o, p in OUTCOMES if (roll := roll - p) < 0), "vacant")
        if mode != "in_person":
            outcome = "met"
        at = _at(rng, day)
        supersedes = None
        if visit_rows and rng.random() < 0.01:  # a correction of the visit before
            supersedes, household = visit_rows[-1][0], visit_rows[-1][2]
        who = (workers[worker], teams[worker // 3])
        visit_rows.append((vid, campaign, household, *who, mode, outcome, at, at, supersedes))
        if outcome == "met" and mode == "in_person" and rng.random() < 0.97:
            answers.append((f"an-{n:08d}", vid, "stance", '"agree"'))
        if outcome == "met" and rng.random() < 0.63:
            explanations.append((f"ex-{n:08d}", vid, policy, "understood"))
        if outcome == "met" and rng.random() < 0.045:
            suggestions.append((f"su-{n:08d}", campaign, vid, household, "fee", "分期", at))
        if outcome in ("not_home", "appointment"):
            due = iso(datetime.fromisoformat(at) + timedelta(hours=10))
            callbacks.append((f"cb-{n:08d}", campaign, household, vid, due, at))
        if rng.random() < 0.005:
            voids.append((f"vo-{n:08d}", "visit", vid, "录错", at))
    ex = conn.executemany
    ex(
        "INSERT INTO visit (id, campaign_id, household_id, worker_id, team_id, device_id, mode,"
        " outcome, started_at, ended_at, supersedes_id)"
        " VALUES (?, ?, ?, ?, ?, 'bench', ?, ?, ?, ?, ?)",
        visit_rows,
    )
    ex(
        "INSERT INTO answer (id, visit_id, question, value) VALUES (?, ?, ?, ?)",
        answers,
    )
    ex(
        "INSERT INTO explanation (id, visit_id, policy_item_id, reaction) VALUES (?, ?, ?, ?)",
        explanations,
    )
    ex(
        "INSERT INTO suggestion (id, campaign_id, visit_id, household_id, category, text,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        suggestions,
    )
    ex(
        "INSERT INTO callback (id, campaign_id, household_id, visit_id, due_at, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        callbacks,
    )
    ex(
        "INSERT INTO void (id, entity, record_id, reason, voided_at) VALUES (?, ?, ?, ?, ?)",
        voids,
    )
    ex(
        "INSERT INTO online_answer (id, campaign_id, worker_id, channel, question, answer,"
        " answered_at) VALUES (?, ?, ?, 'wechat', '何时开会？', '月底。', ?)",
        [
            (f"oa-{i:08d}", campaign, workers[i % len(workers)], _at(rng, i % DAYS))
            for i in range(30_000)
        ],
    )


def _sync(conn: sqlite3.Connection, rng: random.Random, teams: list[str], created: str) -> None:
    """16 laptops; every fifth waits for a missing bundle; a few open conflicts."""
    ex = conn.executemany
    devices = _ids("de", TEAMS)
    ex(
        "INSERT INTO device (id, name, role, team_id, sign_public_key, box_public_key,"
        " created_at) VALUES (?, ?, 'field', ?, '', '', ?)",
        [(d, f"笔记本{i + 1:02d}", teams[i], created) for i, d in enumerate(devices)],
    )
    ex(
        "INSERT INTO _sync_peer (device_id, applied_seq, highest_seq, last_bundle_at)"
        " VALUES (?, ?, ?, ?)",
        [(d, 900 + i, 1200 + i, created) for i, d in enumerate(devices)],
    )
    ex(
        "INSERT INTO _held_bundle (bundle_id, device_id, seq_from, seq_to, path, received_at)"
        " VALUES (?, ?, ?, ?, '', ?)",
        [(f"hb-{i}", d, 1000 + i, 1200 + i, created) for i, d in enumerate(devices) if i % 5 == 0],
    )
    ex(
        "INSERT INTO conflict (id, entity, record_id, field, candidates, created_at)"
        " VALUES (?, 'household', ?, 'area', '[\"50.0\", \"52.0\"]', ?)",
        [(f"cf-{i}", f"hh-{rng.randrange(1000):08d}", created) for i in range(25)],
    )
