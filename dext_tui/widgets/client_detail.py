"""The line under the client table: the highlighted client in full, in one line.

At 80 columns the table's right-hand columns scroll out of sight, so this line
carries what must never be lost: the CRN, the practice code and the state; a
long name is cut to make room for them, and the integration comes last.
"""

from __future__ import annotations

from rich.cells import cell_len

from dext_tui.data.client_rows import ClientDetail
from dext_tui.data.vocab import INTEGRATION_SOFTWARE, INTEGRATION_STATUS_LABELS
from dext_tui.widgets.one_line import OneLine
from dext_tui.widgets.safe_text import fit, printable

GONE = "This client is no longer on your list."
DETAIL_NAME_MIN_WIDTH = 12  # a name is never cut shorter than this


class ClientDetailLine(OneLine):
    def show(self, detail: ClientDetail | None) -> None:
        self.say(GONE if detail is None else describe(detail, self.content_region.width))


def describe(detail: ClientDetail, width: int) -> str:
    """The client in one line of `width` cells: a long name is cut so that the
    CRN, code and state always show; the integration goes last, cut if need be."""
    essentials = [f"CRN {detail.crn}" if detail.crn else "No CRN"]
    essentials.append(
        f"Code {printable(detail.practice_code)}" if detail.practice_code else "No practice code"
    )
    if detail.state != "active":
        essentials.append(detail.state.title())
    tail = " · ".join(essentials)
    name = printable(detail.name)
    room = max(DETAIL_NAME_MIN_WIDTH, width - cell_len(tail) - len(" · "))
    if cell_len(name) > room:
        name = fit(name, room)
    parts = [name, tail]
    status = detail.integration_status
    if status and status != "unintegrated":
        software = INTEGRATION_SOFTWARE.get(detail.integration_software or "", "Integration")
        text = f"{software} {INTEGRATION_STATUS_LABELS[status].lower()}"
        if detail.integration_org_name:
            text += f" to {printable(detail.integration_org_name)}"
        if detail.integration_last_sync:
            text += f", synced {detail.integration_last_sync:%d %b %Y}"
        parts.append(text)
    return " · ".join(parts)
