"""Stable codes of CLI.md. The UI shows them through the catalog (`code.<kind>.<code>`)."""

from __future__ import annotations

from enum import StrEnum


class DeviceRole(StrEnum):
    """What a machine is: the office's, or a team's field laptop (`device.role`)."""

    OFFICE = "office"
    FIELD = "field"


class StaffRole(StrEnum):
    """A person's job on the staff list (`worker.role`): a grid worker in a team, or
    office staff or an administrator (who belong to no team). Not what a sign-in may
    do: that is the account's role, trust.roles.AccountRole."""

    FIELD = "field"
    OFFICE = "office"
    ADMIN = "admin"


class VisitMode(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    ONLINE = "online"


class Outcome(StrEnum):
    MET = "met"
    NOT_HOME = "not_home"
    REFUSED = "refused"
    VACANT = "vacant"
    MOVED = "moved"
    APPOINTMENT = "appointment"


class Reaction(StrEnum):
    UNDERSTOOD = "understood"
    DOUBTS = "doubts"
    OPPOSED = "opposed"


class SuggestionCategory(StrEnum):
    SERVICE = "service"
    FEE = "fee"
    FACILITY = "facility"
    SAFETY = "safety"
    ENVIRONMENT = "environment"
    OTHER = "other"


class SuggestionStatus(StrEnum):
    NEW = "new"
    FORWARDED = "forwarded"
    ANSWERED = "answered"
    CLOSED = "closed"


class Channel(StrEnum):
    WECHAT = "wechat"
    PHONE = "phone"
    HOTLINE = "hotline"
    OTHER = "other"


class HouseholdStatus(StrEnum):
    OWNER_OCCUPIED = "owner_occupied"
    RENTED = "rented"
    VACANT = "vacant"


class BuildingKind(StrEnum):
    WALKUP = "walkup"
    HIGHRISE = "highrise"


class Relation(StrEnum):
    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    TENANT = "tenant"
    OTHER = "other"


#: Household tags the field uses; free text is allowed too.
HOUSEHOLD_TAGS = ("独居老人", "孤老", "残疾", "困难家庭", "重点关注", "党员", "新搬入")
