"""The SQL of the released migrations in schema.py (kept apart so schema.py reads as the
list of migrations). Never edited once released: a change is a new migration."""

from __future__ import annotations

INITIAL = """
CREATE TABLE _local_device (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    device_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('office', 'field')),
    name TEXT NOT NULL,
    sign_secret TEXT NOT NULL,
    box_secret TEXT NOT NULL,
    hlc TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE device (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('office', 'field')),
    team_id TEXT,
    sign_public_key TEXT NOT NULL,
    box_public_key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'revoked')),
    created_at TEXT NOT NULL
);
CREATE TABLE compound (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    street TEXT NOT NULL DEFAULT '',
    neighbourhood_committee TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    property_firm TEXT NOT NULL DEFAULT '',
    fee_per_m2 REAL,
    created_at TEXT NOT NULL
);
CREATE TABLE grid (
    id TEXT PRIMARY KEY,
    compound_id TEXT NOT NULL REFERENCES compound(id),
    name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT ''
);
CREATE TABLE building (
    id TEXT PRIMARY KEY,
    compound_id TEXT NOT NULL REFERENCES compound(id),
    grid_id TEXT REFERENCES grid(id),
    number TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('walkup', 'highrise')),
    floors INTEGER NOT NULL,
    units INTEGER NOT NULL DEFAULT 1,
    sort_key INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX building_compound ON building(compound_id, sort_key);
CREATE TABLE household (
    id TEXT PRIMARY KEY,
    building_id TEXT NOT NULL REFERENCES building(id),
    unit TEXT NOT NULL DEFAULT '',
    floor INTEGER NOT NULL,
    room TEXT NOT NULL,
    area REAL,
    status TEXT NOT NULL DEFAULT 'owner_occupied'
        CHECK (status IN ('owner_occupied', 'rented', 'vacant')),
    tags TEXT NOT NULL DEFAULT '[]',
    code TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX household_walk ON household(building_id, unit, floor, room);
CREATE INDEX household_code ON household(code);
CREATE TABLE resident (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES household(id),
    name TEXT NOT NULL,
    relation TEXT NOT NULL DEFAULT 'other',
    is_owner INTEGER NOT NULL DEFAULT 0,
    birth_year INTEGER,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX resident_household ON resident(household_id);
CREATE TABLE phone (
    id TEXT PRIMARY KEY,
    resident_id TEXT NOT NULL REFERENCES resident(id),
    number TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT ''
);
CREATE INDEX phone_resident ON phone(resident_id);
CREATE TABLE team (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE worker (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    team_id TEXT REFERENCES team(id),
    role TEXT NOT NULL DEFAULT 'field' CHECK (role IN ('field', 'office', 'admin')),
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE questionnaire (
    id TEXT PRIMARY KEY,
    form_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    definition TEXT NOT NULL,
    published_at TEXT NOT NULL,
    UNIQUE (form_id, version)
);
CREATE TABLE policy_item (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE campaign (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    questionnaire_id TEXT REFERENCES questionnaire(id),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'closed'))
);
CREATE TABLE campaign_compound (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    compound_id TEXT NOT NULL REFERENCES compound(id)
);
CREATE TABLE campaign_policy (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    policy_item_id TEXT NOT NULL REFERENCES policy_item(id),
    position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE assignment (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    team_id TEXT NOT NULL REFERENCES team(id),
    building_id TEXT NOT NULL REFERENCES building(id)
);
CREATE INDEX assignment_team ON assignment(team_id, campaign_id);
CREATE INDEX assignment_building ON assignment(building_id);
CREATE TABLE visit (
    id TEXT PRIMARY KEY,
    campaign_id TEXT REFERENCES campaign(id),
    household_id TEXT NOT NULL REFERENCES household(id),
    worker_id TEXT NOT NULL REFERENCES worker(id),
    team_id TEXT REFERENCES team(id),
    device_id TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('in_person', 'phone', 'online')),
    outcome TEXT NOT NULL
        CHECK (outcome IN ('met', 'not_home', 'refused', 'vacant', 'moved', 'appointment')),
    people_met INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    questionnaire_id TEXT REFERENCES questionnaire(id),
    notes TEXT NOT NULL DEFAULT '',
    supersedes_id TEXT REFERENCES visit(id)
);
CREATE INDEX visit_household ON visit(household_id, started_at);
CREATE INDEX visit_supersedes ON visit(supersedes_id);
CREATE TABLE answer (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visit(id),
    questionnaire_id TEXT REFERENCES questionnaire(id),
    question TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX answer_visit ON answer(visit_id);
CREATE TABLE explanation (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visit(id),
    policy_item_id TEXT NOT NULL REFERENCES policy_item(id),
    policy_version INTEGER NOT NULL DEFAULT 1,
    reaction TEXT CHECK (reaction IN ('understood', 'doubts', 'opposed'))
);
CREATE INDEX explanation_visit ON explanation(visit_id);
CREATE TABLE suggestion (
    id TEXT PRIMARY KEY,
    campaign_id TEXT REFERENCES campaign(id),
    visit_id TEXT REFERENCES visit(id),
    household_id TEXT REFERENCES household(id),
    worker_id TEXT REFERENCES worker(id),
    category TEXT NOT NULL
        CHECK (category IN ('service', 'fee', 'facility', 'safety', 'environment', 'other')),
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'forwarded', 'answered', 'closed')),
    response TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX suggestion_visit ON suggestion(visit_id);
CREATE INDEX suggestion_household ON suggestion(household_id);
CREATE TABLE online_answer (
    id TEXT PRIMARY KEY,
    campaign_id TEXT REFERENCES campaign(id),
    worker_id TEXT NOT NULL REFERENCES worker(id),
    household_id TEXT REFERENCES household(id),
    channel TEXT NOT NULL CHECK (channel IN ('wechat', 'phone', 'hotline', 'other')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX online_answer_household ON online_answer(household_id);
CREATE TABLE callback (
    id TEXT PRIMARY KEY,
    campaign_id TEXT REFERENCES campaign(id),
    household_id TEXT NOT NULL REFERENCES household(id),
    visit_id TEXT REFERENCES visit(id),
    due_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX callback_household ON callback(household_id);
CREATE TABLE receipt (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visit(id),
    short_code TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    issued_at TEXT NOT NULL
);
CREATE TABLE void (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    worker_id TEXT REFERENCES worker(id),
    voided_at TEXT NOT NULL
);
CREATE INDEX void_record ON void(entity, record_id);
CREATE TABLE conflict (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    office_value TEXT,
    incoming_value TEXT,
    provisional_value TEXT,
    resolution TEXT,
    resolved_at TEXT,
    created_at TEXT NOT NULL
);
CREATE VIEW voided AS SELECT entity, record_id FROM void;
CREATE VIEW live_visit AS
SELECT v.* FROM visit v
WHERE NOT EXISTS (SELECT 1 FROM void x WHERE x.entity = 'visit' AND x.record_id = v.id)
  AND NOT EXISTS (
      SELECT 1 FROM visit s
      WHERE s.supersedes_id = v.id
        AND NOT EXISTS (SELECT 1 FROM void y WHERE y.entity = 'visit' AND y.record_id = s.id)
  );
"""

SYNC = """
DROP TABLE conflict;
CREATE TABLE conflict (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    candidates TEXT NOT NULL,
    provisional_value TEXT,
    resolution TEXT,
    resolved_by TEXT,
    resolved_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX conflict_field ON conflict(entity, record_id, field);
CREATE TABLE _sync_peer (
    device_id TEXT PRIMARY KEY,
    applied_seq INTEGER NOT NULL DEFAULT 0,
    highest_seq INTEGER NOT NULL DEFAULT 0,
    last_bundle_id TEXT,
    last_bundle_at TEXT,
    clock_skew_ms INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE _held_bundle (
    bundle_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    seq_from INTEGER NOT NULL,
    seq_to INTEGER NOT NULL,
    path TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE _imported_bundle (
    bundle_id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    kind TEXT NOT NULL,
    applied INTEGER NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE _quarantine (
    id INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    entry TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (device_id, seq)
);
CREATE TABLE _office_anchor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    device_id TEXT NOT NULL,
    name TEXT NOT NULL,
    sign_public_key TEXT NOT NULL,
    box_public_key TEXT NOT NULL,
    acked_seq INTEGER NOT NULL DEFAULT 0,
    acked_at TEXT
)
"""

OFFICE = """
CREATE TABLE suggestion_status (
    id TEXT PRIMARY KEY,
    suggestion_id TEXT NOT NULL REFERENCES suggestion(id),
    status TEXT NOT NULL CHECK (status IN ('new', 'forwarded', 'answered', 'closed')),
    handler TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT '',
    worker_id TEXT REFERENCES worker(id),
    at TEXT NOT NULL
);
CREATE INDEX suggestion_status_suggestion ON suggestion_status(suggestion_id, at);
ALTER TABLE household ADD COLUMN population INTEGER
"""

ALARMS = """
CREATE TABLE _sync_alarm (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    device_id TEXT NOT NULL,
    file TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX sync_alarm_device ON _sync_alarm(device_id, at)
"""

REVIEW = """
CREATE TABLE review (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visit(id),
    status TEXT NOT NULL CHECK (status IN ('approved', 'returned')),
    comment TEXT NOT NULL DEFAULT '',
    worker_id TEXT REFERENCES worker(id),
    at TEXT NOT NULL
);
CREATE INDEX review_visit ON review(visit_id, at)
"""

LIFECYCLE = """
CREATE TABLE household_event (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES household(id),
    kind TEXT NOT NULL CHECK (kind IN (
        'moved_out', 'moved_in', 'merged', 'merged_into', 'split', 'split_from')),
    other_household_id TEXT REFERENCES household(id),
    residents INTEGER NOT NULL DEFAULT 0,
    at TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX household_event_household ON household_event(household_id, at);
ALTER TABLE household ADD COLUMN merged_into TEXT REFERENCES household(id)
"""
