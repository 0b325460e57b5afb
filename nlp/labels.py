"""Label ids that every ministry profile shares.

Intents and the flags are fixed by the taxonomy for all ministries; owners
and departments come from the profile.  Dialect and platform ids describe
the training corpus and the slices the evaluation reports on.
"""

INTENTS = ("complaint", "report", "inquiry", "service_request", "other")

# When a post holds two intents, the one that asks the most of the ministry wins.
INTENT_PRECEDENCE = ("report", "complaint", "service_request", "inquiry", "other")

MINISTRY = "ministry"

HEADS = ("intent", "owner", "department", "requires_inspection", "urgent")
FLAG_HEADS = ("requires_inspection", "urgent")

DIALECT_FAMILIES = {
    "gulf": ("saudi", "kuwaiti", "emirati", "qatari", "bahraini", "omani"),
    "msa": ("msa",),
    "egyptian": ("egyptian",),
    "levantine": ("levantine",),
    "iraqi": ("iraqi",),
    "maghrebi": ("maghrebi",),
    "sudanese": ("sudanese",),
    "yemeni": ("yemeni",),
    "mixed": ("mixed",),
    "arabizi": ("arabizi",),
    "english": ("english",),
    "unknown": ("unknown",),  # rows from agents' feedback whose dialect nobody recorded
}
DIALECTS = tuple(d for family in DIALECT_FAMILIES.values() for d in family)
DIALECT_FAMILY = {d: family for family, members in DIALECT_FAMILIES.items() for d in members}

PLATFORMS = ("x", "facebook", "instagram", "tiktok", "unknown")


class LabelSpace:
    """The owner and department ids one profile allows, with the fixed intents."""

    def __init__(self, *, departments: tuple[str, ...], entities: tuple[str, ...]):
        self.departments = tuple(departments)
        self.entities = tuple(entities)

    @property
    def owners(self) -> tuple[str, ...]:
        return (MINISTRY, *self.entities)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LabelSpace) and (self.departments, self.entities) == (
            other.departments, other.entities)

    def __repr__(self) -> str:
        return f"LabelSpace(departments={self.departments!r}, entities={self.entities!r})"
