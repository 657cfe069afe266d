"""Who is using the app, as the rest of the data layer passes them around (spec 6, 15).

Apart from identity.py, which finds them, so the support desk's lookup can build one
without an import cycle.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime

from dext_tui.data import roles


class IdentityError(Exception):
    """The user could not be identified as an active team member: refuse, never default."""


@dataclass(frozen=True)
class Viewer:
    team_member_id: int | None  # None: a support person (below)
    practice_id: int
    practice_name: str
    name: str
    email: str
    role: str
    can_add_clients: bool  # the stored right; what it allows is the role table's to say
    # A support person on behalf of the practice (role "support", data/support.py):
    # read-only until elevated, with the reason given, until `elevated_until`.
    support_person_id: int | None = None
    elevated_until: datetime | None = None
    support_reason: str | None = None

    @property
    def is_support(self) -> bool:
        return self.support_person_id is not None

    @property
    def sees_all_clients(self) -> bool:
        """Standard users see only the clients practice access grants them."""
        return roles.may(self, roles.Action.SEE_ALL_CLIENTS)

    @property
    def sees_removed_clients(self) -> bool:
        """Removed clients stay visible to practice admins only (spec section 5)."""
        return roles.may(self, roles.Action.SEE_REMOVED)


def os_login_name() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        return None
