"""Sync as user actions: enrol, export, import, roster bundles, conflict decisions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridapp.audit_actions import (
    BUNDLE_EXPORTED,
    CONFLICT_RESOLVED,
    DEVICE_ENROLLED,
    DEVICE_REVOKED,
    ROSTER_EXPORTED,
)
from gridapp.clock import iso
from gridapp.errors import InvalidInput, NotFound
from gridapp.files import file_errors, not_a_file
from gridapp.services.audit import note
from gridapp.services.guard import acting, actor_of, refresh_actor, requires
from gridapp.storage import changelog, records, sync_store
from gridapp.storage.store import Store
from gridapp.sync import enrollment, export, importer
from gridapp.sync.crypto import DeviceKeys, PublicKeys, fingerprint
from gridapp.sync.export import ExportResult
from gridapp.sync.importer import ImportResult
from gridapp.trust.roles import Action


class SyncService:
    def __init__(self, store: Store) -> None:
        self.store = store
        #: Called before bundles are imported (the composition root sets a backup).
        self.before_import: Callable[[], object] | None = None
        #: Demo and tests only: enrol a laptop whose request says its database is not
        #: encrypted (refused otherwise; `device enroll --allow-plain`).
        self.allow_plain_laptops = False

    @requires(Action.VIEW)
    def fingerprint(self) -> str:
        return DeviceKeys.of(self.store.require_device()).public.fingerprint

    @requires(Action.EXPORT_BUNDLE)
    def request_file_name(self) -> str:
        """The enrolment request's file name: the laptop's name says whose it is."""
        return f"gridapp-request-{self.store.require_device().name}.json"

    @requires(Action.EXPORT_BUNDLE)
    def bundle_file_name(self) -> str:
        """A bundle's file name: this device and the minute it was written."""
        stamp = self.store.clock.now().strftime("%Y%m%d-%H%M")
        return f"gridapp-{self.store.require_device().name}-{stamp}.gsb"

    @requires(Action.EXPORT_BUNDLE)
    def request(self, out: Path) -> PublicKeys:
        return enrollment.write_request(self.store, out)

    @requires(Action.MANAGE_DEVICES)
    def read_request(self, path: Path) -> dict[str, Any]:
        body = enrollment.read_request(path, allow_plain=self.allow_plain_laptops)
        body["fingerprint"] = fingerprint(body["sign_public_key"], body["box_public_key"])
        return body

    @requires(Action.MANAGE_DEVICES)
    def enroll(
        self, request_path: Path, team_number: int, out: Path
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Approve a laptop for a team and write its first roster bundle."""
        actor = actor_of(self.store).code
        self._office()
        request = self.read_request(request_path)
        team_id = sync_store.team_id_by_number(self.store.db, team_number)
        if team_id is None:
            raise InvalidInput("error.sync.unknown_team", team=team_number)
        with self.store.unit_of_work(actor) as db:
            enrollment.enroll(self.store, request, team_id, actor)
            note(self.store, db, actor, DEVICE_ENROLLED, request["device_id"], team=team_number)
        with file_errors(out):
            manifest = export.write_roster(self.store, team_number, out)
        self._audit(actor, ROSTER_EXPORTED, manifest["bundle_id"], team=team_number)
        return request, manifest

    @requires(Action.MANAGE_DEVICES)
    def revoke(self, device_id: str) -> None:
        actor = actor_of(self.store).code
        self._office()
        with self.store.unit_of_work(actor) as db:
            enrollment.revoke(self.store, device_id, actor)
            note(self.store, db, actor, DEVICE_REVOKED, device_id)

    @requires(Action.EXPORT_BUNDLE)
    def export(
        self,
        out: Path,
        progress: Callable[[int], None] | None = None,
    ) -> ExportResult:
        """A full or read-only stick is refused with a clear error and no half file;
        nothing is marked as sent: only the office's ack ever is."""
        actor = actor_of(self.store).code
        with file_errors(out):
            result = export.export_changes(self.store, out, progress)
        self._audit(actor, BUNDLE_EXPORTED, "", first=result.seq_from, last=result.seq_to)
        return result

    def import_files(
        self,
        paths: list[Path],
        on_result: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Each bundle applies (and is audited) in one transaction; the database is
        backed up first, once per call, when `before_import` is set. The office imports
        laptops' bundles; a laptop, only its office's roster bundles. A name that is no
        regular file (missing, a folder, a pipe, a device) is refused unread and
        unrecorded: nothing arrived."""
        device = self.store.require_device()
        right = Action.IMPORT_BUNDLES if device.role == "office" else Action.RECEIVE_ROSTER
        actor = acting(self.store, right).code
        problems = {path: not_a_file(path) for path in paths}
        if self.before_import is not None and None in problems.values():
            self.before_import()
        results = []
        for path in paths:
            problem = problems[path]
            if problem is None:
                result = importer.import_file(self.store, path, actor)
            else:
                where = {"file": str(path)}
                result = ImportResult(path.name, "refused", reason=problem, params=where)
            results.append(result)
            if on_result:
                on_result(result)
        if device.role == "field":
            refresh_actor(self.store)  # the first roster brings the worker and the team
        return results

    @requires(Action.CAMPAIGN_SETUP)
    def roster(self, team_number: int, out: Path) -> dict[str, Any]:
        actor = actor_of(self.store).code
        with file_errors(out):
            manifest = export.write_roster(self.store, team_number, out)
        self._audit(actor, ROSTER_EXPORTED, manifest["bundle_id"], team=team_number)
        return manifest

    def _audit(self, actor: str, action: str, target: str, **detail: Any) -> None:
        with self.store.unit_of_work(actor) as db:
            note(self.store, db, actor, action, target, **detail)

    @requires(Action.IMPORT_BUNDLES)
    def force_held(self, device_id: str) -> list[ImportResult]:
        self._office()
        device = sync_store.device(self.store.db, device_id)
        if device is None or device["role"] != "field":
            raise InvalidInput("error.sync.unknown_device", id=device_id)
        return importer.force_held(self.store, device_id)

    @requires(Action.MANAGE_DEVICES)
    def peers(self) -> list[dict[str, Any]]:
        return sync_store.peers(self.store.db)

    @requires(Action.MANAGE_DEVICES)
    def held(self) -> list[dict[str, Any]]:
        return sync_store.held(self.store.db)

    @requires(Action.IMPORT_BUNDLES)
    def quarantined(self) -> list[dict[str, Any]]:
        return sync_store.quarantined(self.store.db)

    @requires(Action.RESOLVE_CONFLICTS)
    def conflicts(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        rows = sync_store.conflicts(self.store.db, include_resolved)
        for row in rows:
            row["candidates"] = [json.loads(v) for v in json.loads(row["candidates"])]
            for key in ("provisional_value", "resolution"):
                row[key] = json.loads(row[key]) if row[key] is not None else None
        return rows

    @requires(Action.RESOLVE_CONFLICTS)
    def resolve(self, conflict_id: str, value: Any) -> None:
        """Staff decide: the record takes the value, the decision is logged and travels
        back to laptops in the next roster bundle."""
        actor = actor_of(self.store).code
        self._office()
        with self.store.unit_of_work(actor) as db:
            conflict = records.get(db, "conflict", conflict_id)
            if conflict is None:
                raise NotFound("error.sync.conflict_not_found", id=conflict_id)
            if conflict["resolved_at"] is not None:
                raise InvalidInput("error.sync.conflict_resolved", id=conflict_id)
            candidates = [json.loads(v) for v in json.loads(conflict["candidates"])]
            if value not in candidates:
                raise InvalidInput("error.sync.not_a_candidate", value=str(value)[:40])
            current = records.get(db, conflict["entity"], conflict["record_id"])
            if current is None:
                raise NotFound(
                    "error.record_not_found", entity=conflict["entity"], id=conflict["record_id"]
                )
            if current[conflict["field"]] != value:
                records.update(
                    db, conflict["entity"], conflict["record_id"], {conflict["field"]: value}
                )
            records.update(
                db,
                "conflict",
                conflict_id,
                {
                    "resolution": json.dumps(value, ensure_ascii=False, sort_keys=True),
                    "resolved_by": actor,
                    "resolved_at": iso(self.store.clock.now()),
                },
            )
            # The chosen value may be a phone or a name: the conflict row keeps it.
            note(
                self.store,
                db,
                actor,
                CONFLICT_RESOLVED,
                conflict_id,
                entity=conflict["entity"],
                field=conflict["field"],
            )

    @requires(Action.VIEW)
    def status(self) -> dict[str, Any]:
        """A laptop's view: what the office has confirmed, what is waiting to go."""
        device = self.store.require_device()
        anchor = sync_store.office_anchor(self.store.db)
        last = changelog.last_seq(self.store.db, device.device_id)
        return {
            "sign_public_key": DeviceKeys.of(device).public.sign_public_key,
            "device_id": device.device_id,
            "role": device.role,
            "fingerprint": self.fingerprint(),
            "last_seq": last,
            "office": None
            if anchor is None
            else {
                "device_id": anchor["device_id"],
                "name": anchor["name"],
                "fingerprint": fingerprint(anchor["sign_public_key"], anchor["box_public_key"]),
                "acked_seq": anchor["acked_seq"],
                "acked_at": anchor["acked_at"],
            },
            "unsent": changelog.unsent_count(
                self.store.db, device.device_id, anchor["acked_seq"] if anchor else 0
            ),
        }

    def _office(self) -> None:
        if self.store.require_device().role != "office":
            raise InvalidInput("error.sync.office_only")
