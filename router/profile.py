"""A ministry's profile: the one file another ministry edits to use Rasd.

The profile is validated whole when it is loaded, so a wrong value stops
start-up with the field's name instead of surfacing as a wrong reply a
week later.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from string import Formatter
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from nlp.errors import ProfileError
from nlp.labels import INTENTS, MINISTRY, LabelSpace

DEFAULT_PROFILE = Path(__file__).parent / "profiles" / "moh.toml"
SUPPORTED_FORMATS = (1,)
TEMPLATE_VARIABLES = frozenset(
    {"reference", "working_days", "ministry", "entity_name", "entity_channel"})
REQUIRED_TEMPLATES = tuple(f"ack_{intent}" for intent in INTENTS) + ("redirect",)

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Section(_Strict):
    id: Identifier
    name_ar: str
    name_en: str


class Department(_Strict):
    id: Identifier
    name_ar: str
    name_en: str
    sections: tuple[Section, ...] = Field(min_length=1)


class Entity(_Strict):
    id: Identifier
    name_ar: str
    name_en: str
    channel_ar: str
    channel_en: str


class Ministry(_Strict):
    name_ar: str
    name_en: str
    contact_channel_ar: str
    contact_channel_en: str


class Calendar(_Strict):
    timezone: str
    weekend: tuple[Annotated[int, Field(ge=1, le=7)], ...]
    holidays_country: str | None = None
    extra_days_off: tuple[dt.date, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Riyadh)") from error
        return value

    @field_validator("holidays_country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is None:
            return value
        import holidays

        if value not in holidays.list_supported_countries():
            raise ValueError(f"the holidays package has no country {value!r}")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class ServiceLevel(_Strict):
    working_days: int = Field(ge=1)
    inspection_working_days: int = Field(ge=1)


class Thresholds(_Strict):
    """Below a decision's threshold an agent must look; flags are set at their own cut-offs."""

    intent: Probability
    owner: Probability
    department: Probability
    requires_inspection: Probability
    urgent: Probability
    inspection_flag: Probability = 0.5
    urgent_flag: Probability = 0.5


class Template(_Strict):
    ar: str
    en: str

    @model_validator(mode="after")
    def _known_variables(self) -> Template:
        for text in (self.ar, self.en):
            names = {name for _, name, _, _ in Formatter().parse(text) if name}
            unknown = names - TEMPLATE_VARIABLES
            if unknown:
                raise ValueError(f"unknown variable(s) {sorted(unknown)}; allowed: "
                                 f"{sorted(TEMPLATE_VARIABLES)}")
        return self

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.ar


class Profile(_Strict):
    profile_format: int
    id: Identifier
    case_prefix: str = Field(pattern=r"^[A-Z][A-Z0-9]{1,9}$")
    ministry: Ministry
    calendar: Calendar
    service_level: ServiceLevel
    thresholds: Thresholds
    departments: tuple[Department, ...] = Field(min_length=1)
    entities: tuple[Entity, ...] = Field(min_length=1)
    templates: dict[str, Template]

    @field_validator("profile_format")
    @classmethod
    def _supported_format(cls, value: int) -> int:
        if value not in SUPPORTED_FORMATS:
            raise ValueError(f"format {value} is not supported by this Rasd "
                             f"(it reads {list(SUPPORTED_FORMATS)}); upgrade Rasd")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        _unique("departments", [d.id for d in self.departments])
        _unique("entities", [e.id for e in self.entities])
        if MINISTRY in {e.id for e in self.entities}:
            raise ValueError(f"entities: {MINISTRY!r} is reserved for the ministry itself")
        missing = [name for name in REQUIRED_TEMPLATES if name not in self.templates]
        if missing:
            raise ValueError(f"templates: missing {', '.join(missing)}")
        return self

    @property
    def label_space(self) -> LabelSpace:
        return LabelSpace(departments=tuple(d.id for d in self.departments),
                          entities=tuple(e.id for e in self.entities))

    def department(self, department_id: str) -> Department:
        return next(d for d in self.departments if d.id == department_id)

    def entity(self, entity_id: str) -> Entity:
        return next(e for e in self.entities if e.id == entity_id)


def _unique(field: str, ids: list[str]) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{field}: duplicate id(s) {', '.join(duplicates)}")


def load_profile(path: str | Path = DEFAULT_PROFILE) -> Profile:
    """Read and validate a profile file; ProfileError names the file and the bad field."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(f"profile {path}: cannot read it ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise ProfileError(f"profile {path}: not UTF-8 text") from error
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"profile {path}: not valid TOML ({error})") from error
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or '(top level)'}: {e['msg']}"
            for e in error.errors())
        raise ProfileError(f"profile {path}: {problems}") from error
