"""Receipts (回执) issued and verified, and the data behind visit sheets.

A receipt's QR carries a signed summary of the visit (gridapp/paper/receipt_code.py).
Anyone holding the signer's public key — the office has every laptop's in its
`device` table — can tell a genuine receipt from a forged or altered one offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gridapp.audit_actions import RECEIPT_EXPORTED, SHEET_EXPORTED
from gridapp.clock import iso
from gridapp.errors import InvalidInput, NotFound
from gridapp.forms.definition import FormDefinition, load_definition
from gridapp.forms.engine import answer_rows
from gridapp.forms.instance_words import count_text, is_repeat, repeat_lines
from gridapp.model import format_address, mask_numbers, mask_phone
from gridapp.paper import receipt_code as rc
from gridapp.paper.documents import (
    Receipt,
    ReceiptDoc,
    SheetDoc,
    SheetGroup,
    SheetRow,
    Verdict,
    mask_name,
)
from gridapp.services.audit import note
from gridapp.services.guard import actor_of, made_here_on_a_laptop, requires, visit_in_scope
from gridapp.storage import content_queries, queries
from gridapp.storage import paper_queries as pq
from gridapp.storage.store import Store
from gridapp.sync.crypto import DeviceKeys, sign, verify
from gridapp.trust.roles import Action

#: The body fields that must equal the stored visit (the device is the signer's).
_BODY_FIELDS = {"t": "started_at", "m": "mode", "o": "outcome"}


class PaperService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- receipts ------------------------------------------------------------------
    @requires(Action.PRINT_RECEIPTS)
    def issue_receipt(self, visit_id: str) -> Receipt:
        """Sign and record a receipt for a live visit; the same visit again returns
        the receipt already issued, so a reprint carries the same short code."""
        actor = actor_of(self.store).code
        visit_in_scope(self.store, visit_id)
        keys = DeviceKeys.of(self.store.require_device())
        with self.store.unit_of_work(actor) as db:
            existing = pq.receipt_for_visit(db, visit_id)
            if existing is None and pq.visit_content(db, visit_id) is not None:
                made_here_on_a_laptop(self.store, "visit", visit_id)
            if existing is not None:
                return _receipt(existing)
            content = pq.visit_content(db, visit_id)
            if content is None:
                raise NotFound("error.visit_not_found", id=visit_id)
            if not pq.is_live_visit(db, visit_id):
                raise InvalidInput("error.receipt_visit_not_live", id=visit_id)
            visit = content["visit"]
            body = rc.make_body(
                visit_id=visit_id,
                household_code=pq.household_code(db, visit["household_id"]) or "",
                device_id=keys.device_id,
                started_at=visit["started_at"],
                mode=visit["mode"],
                outcome=visit["outcome"],
                digest=rc.content_digest(content),
                sign_public_key=keys.public.sign_public_key,
                certificate=pq.device_certificate(db, keys.device_id),
            )
            payload = rc.make_payload(body, lambda message: sign(keys, message))
            now = self.store.clock.now()
            row = {
                "id": self.store.new_id(now),
                "visit_id": visit_id,
                "short_code": rc.short_code(payload),
                "payload": payload,
                "issued_at": iso(now),
            }
            pq.insert_receipt(db, row)
        return _receipt(row)

    @requires(Action.VIEW)
    def verify(self, text: str) -> Verdict:
        """A payload (scanned) or a short code (read aloud) → its verdict."""
        db = self.store.db
        code = rc.normalise_short_code(text)
        if code is not None:
            found = pq.receipt_by_short_code(db, code)
            if found is None:
                return Verdict("unknown", short_code=code)
            text = str(found["payload"])
        try:
            body, signature = rc.parse_payload(text)
        except rc.MalformedPayload:
            return Verdict("malformed")
        visit_id = body["v"]
        code = rc.short_code(text.strip())
        summary = self._summary(visit_id)

        def verdict(status: str) -> Verdict:
            return Verdict(status, visit_id, code, summary)

        signer = pq.device_key(db, body["d"])
        if (
            signer is None
            or body["k"] != signer["sign_public_key"]
            or not verify(signer["sign_public_key"], rc.signed_message(body), signature)
        ):
            return verdict("forged")
        if signer["status"] == "revoked":
            return verdict("revoked")
        content = pq.visit_content(db, visit_id)
        if content is None:
            return verdict("unknown")
        visit = content["visit"]
        if (
            rc.content_digest(content) != body["c"]
            or any(visit[column] != body[key] for key, column in _BODY_FIELDS.items())
            or pq.household_code(db, visit["household_id"]) != body["h"]
        ):
            return verdict("altered")
        if not pq.is_live_visit(db, visit_id):
            return verdict("voided")
        return verdict("valid")

    def _summary(self, visit_id: str) -> dict[str, Any] | None:
        row = pq.visit_summary(self.store.db, visit_id)
        if row is None:
            return None
        return {
            "address": format_address(row["compound"], row["building"], row["unit"], row["room"]),
            "started_at": row["started_at"],
            "worker": row["worker"] or "",
            "mode": row["mode"],
            "outcome": row["outcome"],
        }

    @requires(Action.PRINT_RECEIPTS)
    def receipt_document(self, receipt: Receipt, lang: str = "zh_CN") -> ReceiptDoc:
        """What the printed receipt shows; the phone is masked here, so no full number
        ever reaches the PDF writer. Audited: an address is leaving on paper."""
        actor = actor_of(self.store).code
        visit_in_scope(self.store, receipt.visit_id)
        db = self.store.db
        row = pq.visit_summary(db, receipt.visit_id)
        if row is None:
            raise NotFound("error.visit_not_found", id=receipt.visit_id)
        answers: list[tuple[str, str]] = []
        if row["questionnaire_id"] and row["answers"]:
            definition = load_definition(
                content_queries.questionnaire_definition(db, row["questionnaire_id"])
            )
            # Free text may hold a phone or ID number: never in full on paper.
            answers = [
                (r["label"], mask_numbers(_words(definition, r, lang)))
                for r in answer_rows(definition, row["answers"], lang)
            ]
        self._audit(actor, RECEIPT_EXPORTED, receipt.visit_id, code=receipt.short_code)
        return ReceiptDoc(
            payload=receipt.payload,
            short_code=receipt.short_code,
            compound=row["compound"],
            building=row["building"],
            unit=row["unit"],
            room=row["room"],
            started_at=row["started_at"],
            mode=row["mode"],
            outcome=row["outcome"],
            worker=row["worker"] or "",
            team=row["team"] or "",
            campaign=row["campaign"] or "",
            questionnaire_title=row["questionnaire_title"] or "",
            answers=answers,
            explained=list(row["explained"]),
            suggestions=[(c, mask_numbers(text)) for c, text in row["suggestions"]],
            phone_masked=mask_phone(row["phone"]) if row["phone"] else "",
        )

    @requires(Action.PRINT_RECEIPTS)
    def receipt_documents(self, visit_ids: Sequence[str], lang: str = "zh_CN") -> list[ReceiptDoc]:
        return [self.receipt_document(self.issue_receipt(v), lang) for v in visit_ids]

    @requires(Action.PRINT_RECEIPTS)
    def todays_visits(self) -> list[str]:
        """Live visits this device recorded today, oldest first: a day's receipts."""
        today = self.store.clock.now().date().isoformat()
        device = self.store.require_device()
        return pq.live_visits_on(self.store.db, device.device_id, today)

    # -- visit sheets --------------------------------------------------------------
    @requires(Action.REPORTS)
    def sheet(
        self,
        building_id: str | None = None,
        team_number: int | None = None,
        mask_names: bool = False,
        grid_id: str | None = None,
        campaign_id: str | None = None,
    ) -> SheetDoc:
        """A building's, a grid's or a team's households in walking order, a group per
        building; the sheet names the campaign chosen (the one in progress when None)
        and the building's team in it."""
        actor = actor_of(self.store).code
        db = self.store.db
        if [building_id, team_number, grid_id].count(None) != 2:
            raise InvalidInput("error.sheets_scope")
        campaign = pq.sheet_campaign(db, campaign_id)
        if campaign_id is not None and campaign is None:
            raise NotFound("error.setup.campaign_not_found", id=campaign_id[:80])
        team = ""  # a grid's buildings may belong to several teams: none is named
        if building_id is not None:
            if pq.building_label(db, building_id) is None:
                raise NotFound("error.building_not_found", id=building_id)
            number = queries.team_of_building(db, building_id, campaign["id"] if campaign else None)
            team = (pq.team_name(db, number) or "") if number is not None else ""
        elif team_number is not None:
            found = pq.team_name(db, team_number)
            if found is None:
                raise NotFound("error.team_not_found", team=team_number)
            team = found
        ids = queries.household_ids(
            db, building_id=building_id, team_number=team_number, grid_id=grid_id
        )
        groups: list[SheetGroup] = []
        for h in queries.household_rows(db, ids):
            if not groups or (groups[-1].compound, groups[-1].building) != (
                h.compound_name,
                h.building_number,
            ):
                groups.append(SheetGroup(h.compound_name, h.building_number, []))
            name = mask_name(h.head_name) if mask_names else h.head_name
            groups[-1].rows.append(SheetRow(h.code, h.unit, h.floor, h.room, name, h.status))
        if not groups:
            raise InvalidInput("error.sheets_empty")
        self._audit(
            actor,
            SHEET_EXPORTED,
            building_id or grid_id or f"team-{team_number}",
            households=sum(len(g.rows) for g in groups),
            masked=mask_names,
        )
        return SheetDoc(
            campaign=str(campaign["name"]) if campaign else "",
            team=team,
            date=self.store.clock.now().date().isoformat(),
            groups=groups,
        )

    def _audit(self, actor: str, action: str, target: str, **detail: Any) -> None:
        with self.store.unit_of_work(actor) as db:
            note(self.store, db, actor, action, target, **detail)


def _words(definition: FormDefinition, row: dict[str, Any], lang: str) -> str:
    """An answer on the receipt: a repeat one line per entry (receipt_pdf.py sets them
    under the question), anything else as answer_rows says it."""
    question = definition.question(row["question"])
    if question is None or not is_repeat(question):
        return str(row["text"])
    return "\n".join(repeat_lines(question, row["value"], lang)) or count_text(0, lang)


def _receipt(row: dict[str, Any]) -> Receipt:
    return Receipt(row["id"], row["visit_id"], row["short_code"], row["payload"], row["issued_at"])
