"""What a laptop may write, checked at the office entry by entry against the office's own
records (docs/sync-bundles.md, "Authority"). A signature proves who sent a bundle; it
does not make the content true or allowed.

A laptop writes only as its own device id; visit-side records only for households in
buildings its team held when the entry was made, and only as workers of its team;
corrections, voids and follow-on records only of records that laptop created; household
master data only for its team's households; never office-owned tables. One entry
outside that authority refuses the whole bundle (the importer keeps it for review and
raises an alarm).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sqlite_utils import Database

from gridapp.forms.definition import DefinitionInvalid, FormDefinition, load_definition
from gridapp.storage import authority_queries as q
from gridapp.storage import content_queries, records
from gridapp.storage.changelog import ChangeEntry
from gridapp.storage.schema import MASTER_DATA, VISIT_SIDE
from gridapp.sync.answer_check import answer_problem
from gridapp.sync.wire_tables import TABLES

#: Records other entries of the laptop follow up (answers to a visit, a void of it).
OWNABLE: Final = frozenset({"visit", "online_answer", "suggestion", "callback"})
#: Fields of master data a laptop may change (the rest is the office's roster).
EDITABLE: Final[dict[str, frozenset[str]]] = {
    "household": frozenset(
        {"area", "status", "tags", "note", "unit", "floor", "room", "population"}
    ),
    "resident": frozenset({"household_id", "name", "relation", "is_owner", "birth_year", "note"}),
    "phone": frozenset({"resident_id", "number", "label"}),
}


class Denied(Exception):
    """`rule`: the rule broken (a catalog suffix); `field`: where, if one field."""

    def __init__(self, rule: str, field: str = "") -> None:
        super().__init__(f"{rule} {field}".strip())
        self.rule, self.field = rule, field
        self.entry: ChangeEntry | None = None  # set when found after the entry passed


class Authority:
    """The checks for one bundle from one laptop; remembers what the bundle itself
    created, so a visit and its answers in the same bundle check against each other."""

    def __init__(
        self, db: Database, device_id: str, team_id: str | None, last_hlc: str = ""
    ) -> None:
        self.db, self.device_id, self.team_id = db, device_id, team_id
        #: A laptop's clock stamps never go back along its log: "when the entry was
        #: made" can be dated no earlier than the last entry the office applied.
        self.last_hlc = last_hlc
        self.buildings = q.team_buildings(db, team_id) if team_id else set()
        self.workers = q.team_workers(db, team_id) if team_id else set()
        self._held: dict[str, list[tuple[str, str | None]]] | None = None
        self.created: dict[str, set[str]] = {}  # by this bundle since the last flush
        self.new_parent: dict[tuple[str, str], Any] = {}  # (entity, id) → parent id
        self._exists: dict[str, set[str]] = {}
        #: (table, column, id) → that column of the office's row: a visit's device and
        #: its household are two different parents of one id.
        self._parent: dict[tuple[str, str, str], Any] = {}
        self._fresh: dict[str, dict[str, ChangeEntry]] = {}  # new ids of OWNABLE entities
        self._answers: list[ChangeEntry] = []  # checked against their form before a flush
        self._forms: dict[str, FormDefinition | None] = {}  # questionnaire id → definition
        self._visit_forms: dict[str, Any] = {}  # visit id → its questionnaire, this batch

    # -- the entry -----------------------------------------------------------------

    def check(self, entry: ChangeEntry) -> None:
        if entry.hlc < self.last_hlc:
            raise Denied("clock_backwards", "hlc")
        self.last_hlc = entry.hlc
        entity = entry.entity
        if entity == "device":
            if entry.op == "insert" and entry.record_id == self.device_id:
                return  # its own record at first sync: the office's registry wins
            raise Denied("office_owned")
        if entity not in VISIT_SIDE and entity not in MASTER_DATA:
            raise Denied("office_owned")
        if self.team_id is None:
            raise Denied("no_team")
        if entity in VISIT_SIDE:
            self._visit_side(entry)
        else:
            self._master(entry)
        if entry.op == "insert":
            self.created.setdefault(entity, set()).add(entry.record_id)

    def before_flush(self) -> None:
        """A record id the office already has, sent again as new: a re-send of the
        laptop's own record (a no-op), never a way to make another laptop's record count
        as this one's (answers to it, a void of it). One query per entity and batch;
        raises `Denied` with the entry, as `check` would have (the bundle is refused
        whole either way)."""
        fresh, self._fresh = self._fresh, {}
        for entity, entries in fresh.items():
            for record_id in records.existing_ids(self.db, entity, list(entries)):
                try:
                    self._own(entity, record_id, check_created=False)
                except Denied as exc:
                    exc.entry = entries[record_id]
                    raise
        answers, self._answers = self._answers, []
        for entry in answers:  # whose they are first: then what they say
            try:
                self._answer_value(entry.fields or {})
            except Denied as exc:
                exc.entry = entry
                raise

    def flushed(self) -> None:
        """The entries checked so far are merged and logged (same transaction): the
        office's tables answer for them now, so what this bundle created need not be
        remembered (memory stays flat whatever the bundle's size)."""
        self.created.clear()
        self.new_parent.clear()
        self._visit_forms.clear()
        self._parent = {k: v for k, v in self._parent.items() if v is not None}

    def _visit_side(self, entry: ChangeEntry) -> None:
        if entry.op != "insert":
            # Never applied (the merge quarantines edits and deletes of these), but an
            # edit of another laptop's record is an attack, not a mistake.
            self._own(entry.entity, entry.record_id)
            return
        fields = entry.fields or {}
        if entry.entity in OWNABLE and entry.record_id not in self.created.get(entry.entity, ()):
            # Checked in bulk before the batch merges (`before_flush`).
            self._fresh.setdefault(entry.entity, {})[entry.record_id] = entry
        self._references(entry.entity, fields)
        check = _VISIT_SIDE_RULES[entry.entity]
        check(self, entry, fields)

    def _master(self, entry: ChangeEntry) -> None:
        entity, fields = entry.entity, entry.fields or {}
        if entry.op == "update":
            extra = set(fields) - EDITABLE[entity]
            if extra:
                raise Denied("field", sorted(extra)[0])
        if entry.op != "delete":
            self._references(entity, fields)
        current = self._current_household(entity, entry.record_id)
        if current is not None:
            # An edit made while the team held the building still arrives after a move
            # (the laptop keeps the household until the office has its work).
            self._household_in_scope(current, entry.hlc)
        elif entry.op != "insert":
            return  # unknown to the office: the merge quarantines it (missing_record)
        if entry.op == "delete":
            return  # within scope: quarantined by the merge, never applied
        parent_column = _PARENT[entity]
        if parent_column in fields:
            household = self._household_of(entity, fields[parent_column])
            # A new record may join a household the team held when it was made; an edit
            # may move a record only to a household the team holds now.
            self._household_in_scope(household, entry.hlc if entry.op == "insert" else None)
        if entry.op == "insert":
            self.new_parent[(entity, entry.record_id)] = fields[parent_column]

    # -- rules per visit-side entity -------------------------------------------------

    def _visit(self, entry: ChangeEntry, f: Mapping[str, Any]) -> None:
        if f["device_id"] != self.device_id:
            raise Denied("other_device", "device_id")
        if f.get("team_id") not in (None, self.team_id):
            raise Denied("other_team", "team_id")
        self._worker(f["worker_id"])
        self.new_parent[("visit", entry.record_id)] = f["household_id"]
        self._visit_forms[entry.record_id] = f.get("questionnaire_id")
        if f.get("recorded_by") is not None:
            self._worker(f["recorded_by"])
        self._household_in_scope(self._building(f["household_id"]), entry.hlc)
        if f.get("supersedes_id") is not None:
            self._own("visit", f["supersedes_id"], "supersedes_id")
            # A correction stays at its household (as the laptop's own service insists).
            old = self.new_parent.get(("visit", f["supersedes_id"])) or self._parent_of(
                "visit", "household_id", f["supersedes_id"]
            )
            if old is not None and old != f["household_id"]:
                raise Denied("field", "supersedes_id")

    def _on_own_visit(self, entry: ChangeEntry, f: Mapping[str, Any]) -> None:
        self._own("visit", f["visit_id"], "visit_id")

    def _answer(self, entry: ChangeEntry, f: Mapping[str, Any]) -> None:
        self._on_own_visit(entry, f)
        self._answers.append(entry)

    def _answer_value(self, f: Mapping[str, Any]) -> None:
        """The answer fits the questionnaire version it names (sync/answer_check.py):
        the laptop's service checked it, but a signature proves only who sent it."""
        questionnaire_id = f.get("questionnaire_id")
        visit_id = f["visit_id"]
        asked = (
            self._visit_forms[visit_id]
            if visit_id in self._visit_forms
            else self._parent_of("visit", "questionnaire_id", visit_id)
        )
        if questionnaire_id is None or questionnaire_id != asked:
            # An answer is to the version its visit was asked under, never another.
            raise Denied("answer_questionnaire", "questionnaire_id")
        if questionnaire_id not in self._forms:
            doc = content_queries.questionnaire_definition(self.db, questionnaire_id)
            try:
                self._forms[questionnaire_id] = load_definition(doc) if doc else None
            except DefinitionInvalid:
                self._forms[questionnaire_id] = None
        definition = self._forms[questionnaire_id]
        if definition is None:
            raise Denied("answer_questionnaire", "questionnaire_id")
        problem = answer_problem(definition, f["question"], f["value"])
        if problem is not None:
            raise Denied(f"answer.{problem.rule}", problem.path)

    def _suggestion(self, entry: ChangeEntry, f: Mapping[str, Any]) -> None:
        if f.get("status", "new") != "new" or f.get("response", ""):
            raise Denied("office_owned", "status")  # follow-up is the office's
        if f.get("visit_id") is None and f.get("household_id") is None:
            raise Denied("reference", "household_id")  # a laptop's suggestion has a home
        self._optional_scope(entry, f)

    def _optional_scope(self, entry: ChangeEntry, f: Mapping[str, Any]) -> None:
        if f.get("visit_id") is not None:
            self._own("visit", f["visit_id"], "visit_id")
        if f.get("worker_id") is not None:
            self._worker(f["worker_id"])
        if f.get("household_id") is not None:
            self._household_in_scope(self._building(f["household_id"]), entry.hlc)

    def _online_answer(self, entry: ChangeEntry, f: Mapping[str, Any]) -> None:
        self._worker(f["worker_id"])
        self._optional_scope(entry, f)

    def _void(self, entry: ChangeEntry, f: Mapping[str, Any]) -> None:
        self._own(f["entity"], f["record_id"], "record_id")
        if f.get("worker_id") is not None:
            self._worker(f["worker_id"])

    # -- building blocks -------------------------------------------------------------

    def _worker(self, worker_id: str) -> None:
        if worker_id not in self.workers:
            raise Denied("other_worker", "worker_id")

    def _own(
        self, entity: str, record_id: str, field: str = "id", check_created: bool = True
    ) -> None:
        """The record was created by this laptop (in this bundle or an earlier one)."""
        if check_created and record_id in self.created.get(entity, ()):
            return
        if entity == "visit":
            device = self._parent_of("visit", "device_id", record_id)
        else:
            device = q.creator(self.db, entity, record_id)
        if device is None and not records.exists(self.db, entity, record_id):
            raise Denied("reference", field)
        if device != self.device_id:
            raise Denied("not_own_record", field)

    def _references(self, entity: str, fields: Mapping[str, Any]) -> None:
        """Every id the record points to exists at the office or in this bundle."""
        for name, target in _REFS[entity]:
            value = fields.get(name)
            if value is None:
                continue
            if value in self.created.get(target, ()):
                continue
            known = self._exists.setdefault(target, set())
            if value in known:
                continue
            if not records.exists(self.db, target, value):
                raise Denied("reference", name)
            known.add(value)

    def _parent_of(self, table: str, column: str, record_id: str) -> Any:
        key = (table, column, record_id)
        if key not in self._parent:
            self._parent[key] = q.parents(self.db, table, column, [record_id]).get(record_id)
        return self._parent[key]

    def _building(self, household_id: str) -> str | None:
        if ("household", household_id) in self.new_parent:
            return str(self.new_parent[("household", household_id)])
        building = self._parent_of("household", "building_id", household_id)
        return None if building is None else str(building)

    def _household_of(self, entity: str, parent_id: str) -> str | None:
        """The building of the household that a master record's parent id leads to."""
        if entity == "household":
            return parent_id  # a household's parent is its building
        if entity == "resident":
            return self._building(parent_id)
        # a phone's parent is a resident
        household = self.new_parent.get(("resident", parent_id))
        if household is None:
            household = self._parent_of("resident", "household_id", parent_id)
        return None if household is None else self._building(str(household))

    def _current_household(self, entity: str, record_id: str) -> str | None:
        """The building a master record belongs to now (None: unknown here)."""
        if entity == "household":
            return self._building(record_id)
        parent = self.new_parent.get((entity, record_id))
        if parent is None:
            parent = self._parent_of(entity, _PARENT[entity], record_id)
        return None if parent is None else self._household_of(entity, str(parent))

    def _household_in_scope(self, building_id: str | None, hlc: str | None) -> None:
        """The team holds the building now, or (`hlc` given) held it when the entry was
        made: work done before a move still arrives (visits, and edits of what the team
        held then); moving a record to another household needs the current one."""
        if building_id is None:
            raise Denied("reference", "household_id")
        if building_id in self.buildings or (hlc is not None and self._held_at(building_id, hlc)):
            return
        raise Denied("other_team_household", "household_id")

    def _held_at(self, building_id: str, hlc: str) -> bool:
        """The team held the building when the entry was made (the office's log of
        assignments, replayed): a building moved away yesterday still takes the visits
        made before the move."""
        if self._held is None:
            self._held = _holdings(self.db, self.team_id or "")
        return any(
            start <= hlc and (end is None or hlc < end)
            for start, end in self._held.get(building_id, ())
        )


#: Per entity, the columns that point at another record (a device id is checked as the
#: signer instead).
_REFS: Final = {
    entity: tuple((n, c.ref) for n, c in columns.items() if c.ref and c.ref != "device")
    for entity, columns in TABLES.items()
}

_PARENT: Final = {"household": "building_id", "resident": "household_id", "phone": "resident_id"}

_VISIT_SIDE_RULES: Final = {
    "visit": Authority._visit,
    "answer": Authority._answer,
    "explanation": Authority._on_own_visit,
    "receipt": Authority._on_own_visit,
    "suggestion": Authority._suggestion,
    "callback": Authority._optional_scope,
    "online_answer": Authority._online_answer,
    "void": Authority._void,
}


def _holdings(db: Database, team_id: str) -> dict[str, list[tuple[str, str | None]]]:
    """Per building, the intervals [from, to) of HLC stamps in which `team_id` held it."""
    state: dict[str, tuple[str, str]] = {}  # assignment id → (team, building)
    spans: dict[str, list[tuple[str, str | None]]] = {}
    opened: dict[str, str] = {}  # assignment id → start stamp, while the team holds it

    for hlc, record_id, op, fields in q.assignment_history(db):
        before = state.get(record_id)
        if op == "delete":
            after = None
        else:
            team = fields.get("team_id", before[0] if before else None)
            building = fields.get("building_id", before[1] if before else None)
            after = (str(team), str(building)) if team and building else None
        if before and before[0] == team_id and (after is None or after != before):
            start = opened.pop(record_id, hlc)
            spans.setdefault(before[1], []).append((start, hlc))
        if after and after[0] == team_id and (before is None or before != after):
            opened[record_id] = hlc
        if after is None:
            state.pop(record_id, None)
        else:
            state[record_id] = after
    for record_id, start in opened.items():
        spans.setdefault(state[record_id][1], []).append((start, None))
    return spans
