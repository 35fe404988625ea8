"""The household finder's index: local, derived tables kept in step by triggers and a
commit hook, read in well under a keystroke.

- `_search`: one row per household: `text` (gridapp.search.household_search_text plus
  two spaces, see `_PAD`), `code` (normalised, for the exact-code boost) and `walk`
  (gridapp.search.walk_key). Its integer key `rid` grows with `walk`: rids are handed
  out with gaps between neighbours, so FTS5 (which returns rows by rowid) and plain
  scans both yield walking order and stop after `limit` hits instead of sorting every
  match. A gap that runs out renumbers the table (rare; see `_place`).
- `_search_fts`: FTS5 trigram index over `_search.text` (external content: the text is
  stored once). `_search_vocab` lists its trigrams.
- `_search_dirty`: households whose text may be stale. SQL triggers fill it whatever
  wrote (services, sync replay, a raw unit of work); `refresh_dirty` runs as a commit
  hook and empties it in the same transaction.

Queries of 3+ characters are trigram phrases. SQLite 3.40's trigram tokenizer finds
nothing for shorter ones, so a 1–2 character term is expanded through the vocabulary
into the trigrams it starts (张三 → 张三丰 OR 张三␣ …; the padding guarantees every
character starts one) or, when it starts too many to list, scanned with instr() in rid
order, where such a common term soon finds `limit` hits.

None of these tables is synced: every device derives its own.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Any

from sqlite_utils import Database

from gridapp.search import (
    clear_caches,
    household_search_text,
    normalise_query,
    query_terms,
    walk_key,
)

#: Terms shorter than this (in characters) cannot be trigram phrases.
TRIGRAM = 3
#: Households derived per round trip: bounds memory on the 100,000-household demo.
BATCH = 5000
#: Room between the rids of neighbours appended in walking order.
GAP = 1 << 32
#: A short term listing more trigrams than this is scanned rather than expanded.
MAX_EXPANSION = 64
#: Two trailing spaces: the last character of the text then starts a trigram too.
_PAD = "  "
_TOP = "\U0010ffff"  # above every character: `prefix <= term < prefix + _TOP`

_TABLES = """
CREATE TABLE _search (
    rid INTEGER PRIMARY KEY,
    household_id TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL,
    walk TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL
);
CREATE INDEX _search_code ON _search(code);
CREATE VIRTUAL TABLE _search_fts USING fts5(
    text, content='_search', content_rowid='rid', tokenize='trigram'
);
CREATE VIRTUAL TABLE _search_vocab USING fts5vocab('_search_fts', 'row');
CREATE TABLE _search_dirty (household_id TEXT PRIMARY KEY) WITHOUT ROWID
"""

_MARK = "INSERT OR IGNORE INTO _search_dirty (household_id)"

# Update triggers name their columns: a status or tag change touches no search text,
# so it costs nothing here. Phones reach their household through the resident; under
# deferred foreign keys a phone may arrive before its resident, whose own insert then
# marks the household.
_TRIGGERS: dict[str, str] = {
    "_search_household_insert": f"AFTER INSERT ON household BEGIN {_MARK} VALUES (NEW.id); END",
    "_search_household_update": (
        "AFTER UPDATE OF building_id, unit, floor, room, code ON household"
        f" BEGIN {_MARK} VALUES (NEW.id); END"
    ),
    "_search_household_delete": f"AFTER DELETE ON household BEGIN {_MARK} VALUES (OLD.id); END",
    "_search_resident_insert": (
        f"AFTER INSERT ON resident BEGIN {_MARK} VALUES (NEW.household_id); END"
    ),
    "_search_resident_update": (
        "AFTER UPDATE OF household_id, name ON resident"
        f" BEGIN {_MARK} VALUES (OLD.household_id); {_MARK} VALUES (NEW.household_id); END"
    ),
    "_search_resident_delete": (
        f"AFTER DELETE ON resident BEGIN {_MARK} VALUES (OLD.household_id); END"
    ),
    "_search_phone_insert": (
        f"AFTER INSERT ON phone BEGIN {_MARK}"
        " SELECT household_id FROM resident WHERE id = NEW.resident_id; END"
    ),
    "_search_phone_update": (
        f"AFTER UPDATE OF resident_id, number ON phone BEGIN {_MARK}"
        " SELECT household_id FROM resident WHERE id IN (OLD.resident_id, NEW.resident_id);"
        " END"
    ),
    "_search_phone_delete": (
        f"AFTER DELETE ON phone BEGIN {_MARK}"
        " SELECT household_id FROM resident WHERE id = OLD.resident_id; END"
    ),
    # The text holds the compound's name and the building's number, and the walk key
    # their order: renaming or renumbering re-derives every household below.
    "_search_compound_update": (
        f"AFTER UPDATE OF name, created_at ON compound BEGIN {_MARK}"
        " SELECT h.id FROM household h JOIN building b ON b.id = h.building_id"
        " WHERE b.compound_id = NEW.id; END"
    ),
    "_search_building_update": (
        f"AFTER UPDATE OF compound_id, number, sort_key ON building BEGIN {_MARK}"
        " SELECT id FROM household WHERE building_id = NEW.id; END"
    ),
}

_STAGING = """CREATE TEMP TABLE IF NOT EXISTS _search_new (
    household_id TEXT PRIMARY KEY, code TEXT NOT NULL, walk TEXT NOT NULL,
    text TEXT NOT NULL, prev INTEGER, next INTEGER)"""

# For each staged row, the rids of the indexed rows just before and after it in walk
# order (two seeks in the walk index).
_NEIGHBOURS = """UPDATE temp._search_new SET
    prev = (SELECT s.rid FROM _search s WHERE s.walk < _search_new.walk
            ORDER BY s.walk DESC LIMIT 1),
    next = (SELECT s.rid FROM _search s WHERE s.walk > _search_new.walk
            ORDER BY s.walk LIMIT 1)"""

# Staged rows sharing a gap share it evenly, in walk order; past the last row they
# step by GAP.
_SPACED = """SELECT household_id, code, walk, text,
    CASE WHEN next IS NULL THEN base + :gap * i ELSE base + (next - base) / (k + 1) * i END
        AS rid,
    CASE WHEN next IS NULL THEN :gap ELSE (next - base) / (k + 1) END AS step
FROM (SELECT n.*, coalesce(prev, 0) AS base,
             row_number() OVER (PARTITION BY prev, next ORDER BY walk) AS i,
             count(*) OVER (PARTITION BY prev, next) AS k
      FROM temp._search_new n)"""

_IN_BATCH = "IN (SELECT value FROM json_each(?))"


def create(db: Database) -> None:
    """Migration body: the tables, the dirty-marking triggers, and the index of the
    households already there."""
    for statement in _TABLES.split(";"):
        if statement.strip():
            db.execute(statement)
    for name, body in _TRIGGERS.items():
        db.execute(f"CREATE TRIGGER {name} {body}")
    rebuild(db)


def rebuild(db: Database) -> None:
    """Forget the index and derive it again for every household."""
    db.execute("DELETE FROM _search")
    db.execute("INSERT INTO _search_fts (_search_fts) VALUES ('delete-all')")
    db.execute(f"{_MARK} SELECT id FROM household")
    refresh_dirty(db)


def refresh_dirty(db: Database) -> None:
    """Recompute the text of every marked household and clear the marks.

    Runs inside every writing transaction (a `Store.commit_hooks` entry), so the usual
    case, nothing marked, is one probe.
    """
    conn = db.conn
    if conn.execute("SELECT 1 FROM _search_dirty LIMIT 1").fetchone() is None:
        return
    conn.execute(_STAGING)
    conn.execute("DELETE FROM temp._search_new")
    while ids := [
        row[0] for row in conn.execute("SELECT household_id FROM _search_dirty LIMIT ?", [BATCH])
    ]:
        batch = json.dumps(ids)
        _forget(conn, batch)
        conn.executemany(
            "INSERT INTO temp._search_new (household_id, code, walk, text) VALUES (?, ?, ?, ?)",
            _derive(conn, batch),
        )
        conn.execute(f"DELETE FROM _search_dirty WHERE household_id {_IN_BATCH}", [batch])
    _place(conn)
    conn.execute("DELETE FROM temp._search_new")
    # The pinyin and token caches pay off within one bulk refresh (the demo's names
    # repeat); kept, they would hold tens of MB for the life of the process.
    clear_caches()


def _forget(conn: sqlite3.Connection, batch: str) -> None:
    # External-content FTS5 removes a row only when told the text it indexed.
    conn.execute(
        "INSERT INTO _search_fts (_search_fts, rowid, text) SELECT 'delete', rid, text"
        f" FROM _search WHERE household_id {_IN_BATCH}",
        [batch],
    )
    conn.execute(f"DELETE FROM _search WHERE household_id {_IN_BATCH}", [batch])


def _derive(conn: sqlite3.Connection, batch: str) -> list[tuple[str, str, str, str]]:
    """(household_id, code, walk, text) for the batch's households that still exist,
    read with three statements whatever the batch's size."""
    names: defaultdict[str, list[str]] = defaultdict(list)
    for household_id, name in conn.execute(
        f"SELECT household_id, name FROM resident WHERE household_id {_IN_BATCH} ORDER BY rowid",
        [batch],
    ):
        names[household_id].append(name)
    phones: defaultdict[str, list[str]] = defaultdict(list)
    for household_id, number in conn.execute(
        "SELECT r.household_id, p.number FROM resident r JOIN phone p ON p.resident_id = r.id"
        f" WHERE r.household_id {_IN_BATCH} ORDER BY p.rowid",
        [batch],
    ):
        phones[household_id].append(number)
    rows: list[tuple[str, str, str, str]] = []
    for hid, code, unit, floor, room, b_number, b_sort, c_name, c_created in conn.execute(
        "SELECT h.id, h.code, h.unit, h.floor, h.room, b.number, b.sort_key, c.name,"
        " c.created_at FROM household h JOIN building b ON b.id = h.building_id"
        f" JOIN compound c ON c.id = b.compound_id WHERE h.id {_IN_BATCH}",
        [batch],
    ):
        text = household_search_text(
            c_name, b_number, unit, room, code, names.get(hid, ()), phones.get(hid, ())
        )
        walk = walk_key(c_created, c_name, b_sort, b_number, unit, floor, room, hid)
        rows.append((hid, normalise_query(code), walk, text + _PAD))
    return rows


def _place(conn: sqlite3.Connection) -> None:
    """Give the staged rows rids in walk order between their neighbours and index them."""
    conn.execute(_NEIGHBOURS)
    gap = {"gap": GAP}
    # Only rows landing before an indexed one can find their gap used up; appending
    # (the demo, a rebuild) skips the check's sort.
    between = conn.execute("SELECT 1 FROM temp._search_new WHERE next IS NOT NULL LIMIT 1")
    if (
        between.fetchone()
        and conn.execute(f"SELECT 1 FROM ({_SPACED}) WHERE step < 1 LIMIT 1", gap).fetchone()
    ):
        # Some gap is used up (many households added one by one at the same spot):
        # stage every indexed row too, and space the whole table out afresh.
        conn.execute(
            "INSERT INTO temp._search_new (household_id, code, walk, text)"
            " SELECT household_id, code, walk, text FROM _search"
        )
        conn.execute("DELETE FROM _search")
        conn.execute("INSERT INTO _search_fts (_search_fts) VALUES ('delete-all')")
        conn.execute("UPDATE temp._search_new SET prev = NULL, next = NULL")
    conn.execute(
        "INSERT INTO _search (rid, household_id, code, walk, text)"
        f" SELECT rid, household_id, code, walk, text FROM ({_SPACED})",
        gap,
    )
    # In rid order: FTS5 appends to its doclists instead of merging into them. CROSS
    # JOIN drives from the staged rows; left to itself the planner walks all of
    # `_search` in rid order to spare the sort (20 ms for a one-household edit).
    conn.execute(
        "INSERT INTO _search_fts (rowid, text) SELECT s.rid, s.text FROM temp._search_new n"
        " CROSS JOIN _search s ON s.household_id = n.household_id ORDER BY s.rid"
    )


def _fts_phrase(term: str) -> str:
    """An FTS5 string literal: the term as a phrase, never as query syntax."""
    return '"' + term.replace('"', '""') + '"'


def _expand(conn: sqlite3.Connection, term: str) -> list[str] | None:
    """The indexed trigrams that start with a 1–2 character term; None when there are
    too many to list (the term is common: a scan finds its hits quickly)."""
    found = [
        row[0]
        for row in conn.execute(
            "SELECT term FROM _search_vocab WHERE term >= ? AND term < ? LIMIT ?",
            [term, term + _TOP, MAX_EXPANSION + 1],
        )
    ]
    return None if len(found) > MAX_EXPANSION else found


def find(db: Database, query: str, limit: int = 50) -> list[str]:
    """Household ids matching `query`: an exact code first, then walking order.

    Every term of the query (gridapp.search.query_terms) must be in the household's
    text.
    """
    normalised = normalise_query(query)
    terms = query_terms(normalised)
    if not terms or limit <= 0:
        return []
    conn = db.conn
    exact = [
        row[0]
        for row in conn.execute(
            "SELECT household_id FROM _search WHERE code = ? ORDER BY rid LIMIT ?",
            [normalised, limit],
        )
    ]
    groups: list[str] = []  # FTS5 expressions, all required
    scans: list[str] = []  # terms for instr(), all required
    for term in terms:
        if len(term) >= TRIGRAM:
            groups.append(_fts_phrase(term))
            continue
        expansion = _expand(conn, term)
        if expansion is None:
            scans.append(term)
        elif not expansion:
            return exact  # no text holds the term
        else:
            groups.append("(" + " OR ".join(_fts_phrase(t) for t in expansion) + ")")
    where = ["instr(s.text, ?) > 0" for _ in scans]
    params: list[Any] = [*scans, limit + len(exact)]
    if groups:
        # CROSS JOIN keeps FTS5 outside: it yields rids in order, so LIMIT stops it early.
        source, order = "_search_fts f CROSS JOIN _search s ON s.rid = f.rowid", "f.rowid"
        where.insert(0, "_search_fts MATCH ?")
        params.insert(0, " AND ".join(groups))
    else:
        source, order = "_search s", "s.rid"
    sql = (
        f"SELECT s.household_id FROM {source} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
    )
    seen = set(exact)
    found = [row[0] for row in conn.execute(sql, params) if row[0] not in seen]
    return (exact + found)[:limit]


def people_of(db: Database, ids: list[str]) -> dict[str, list[tuple[str, list[str]]]]:
    """Each household's residents (name, phone numbers), in roster order."""
    people: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    phones: defaultdict[str, list[str]] = defaultdict(list)
    batch = json.dumps(ids)
    for resident_id, number in db.conn.execute(
        "SELECT r.id, p.number FROM resident r JOIN phone p ON p.resident_id = r.id"
        f" WHERE r.household_id {_IN_BATCH} ORDER BY p.rowid",
        [batch],
    ):
        phones[resident_id].append(number)
    for resident_id, household_id, name in db.conn.execute(
        f"SELECT id, household_id, name FROM resident WHERE household_id {_IN_BATCH}"
        " ORDER BY rowid",
        [batch],
    ):
        people[household_id].append((name, phones.get(resident_id, [])))
    return people


def dirty_count(db: Database) -> int:
    """Households waiting to be re-derived (0 right after any commit)."""
    return int(db.execute("SELECT count(*) FROM _search_dirty").fetchone()[0])


def indexed_text(db: Database, household_id: str) -> str | None:
    """A household's search line, for tests and diagnosis."""
    row = db.execute("SELECT text FROM _search WHERE household_id = ?", [household_id]).fetchone()
    return None if row is None else str(row[0])


def ordered_ids(db: Database) -> list[str]:
    """Every indexed household id in rid order (which must be walking order)."""
    return [row[0] for row in db.execute("SELECT household_id FROM _search ORDER BY rid")]
