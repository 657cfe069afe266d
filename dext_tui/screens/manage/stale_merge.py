"""A save refused as stale, merged field by field (three-way, as version control does).

`base` is what the page showed when the user started, `mine` what the fields hold now,
`theirs` what the database holds now. A field only one side changed takes that side's
value; a field both changed to different values is a conflict, shown to choose from.
So a colleague's rename and the user's new practice code need no retyping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Merge:
    values: dict[str, Any]  # what each field holds after the merge (mine in a conflict)
    taken: list[str] = field(default_factory=list)  # fields only they changed: theirs now
    conflicts: dict[str, Any] = field(default_factory=dict)  # both changed: field -> theirs


def merge_stale(
    base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]
) -> Merge:
    values: dict[str, Any] = {}
    taken: list[str] = []
    conflicts: dict[str, Any] = {}
    for name, original in base.items():
        typed, current = mine[name], theirs[name]
        if typed == original or typed == current:
            values[name] = current
            if current != original and typed == original:
                taken.append(name)
        elif current == original:
            values[name] = typed
        else:
            values[name] = typed
            conflicts[name] = current
    return Merge(values, taken, conflicts)


def merge_message(who: str, merge: Merge, labels: Mapping[str, str]) -> str:
    """One line for the status: what was merged, and what is left to the user."""
    said = f"Nothing was saved: {who} changed this client meanwhile."
    if merge.taken:
        said += " Their " + ", ".join(labels[f] for f in merge.taken) + " loaded;"
    if merge.conflicts:
        fields = ", ".join(labels[f] for f in merge.conflicts)
        return (
            f"{said} you both changed {fields}: yours is in the field, theirs under it "
            "(ctrl+t takes theirs). ctrl+s saves."
        )
    return f"{said} what you typed is kept on top of their version: ctrl+s saves it."


def stale_who(error: Any) -> str:
    """'Admin at 10:04' from a StaleVersion: who overtook the save, and when."""
    who = error.changed_by or "someone else"
    return f"{who} (at {error.changed_at:%H:%M})" if error.changed_at else who
