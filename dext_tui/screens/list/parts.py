"""What the client list screen gives the parts it is made of.

ClientListScreen is composed of parts (ClientActions, Selection, BulkKeys, ProductViews),
each a mixin holding one concern. A part may use only its own members, those of MessagePump,
and what `ListHost` declares here: the list's state, the few Screen methods the parts call,
the list's own methods, and the two methods one part offers another. The parts are typed
as `ListHost` for a type checker (their `self` is one), and tests/ui/test_list_parts.py
checks both sides at run time: the screen is a `ListHost`, and no part calls anything
`ListHost` does not declare.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from textual.app import App

    from dext_tui.data import roles
    from dext_tui.data.client_view import ClientQuery, ClientView
    from dext_tui.data.product_columns import ProductColumns
    from dext_tui.data.viewer import Viewer
    from dext_tui.screens.worker_failures import OnFailure
    from dext_tui.widgets.marks import Marks


@runtime_checkable
class ListHost(Protocol):
    """The client list screen, as its parts see it."""

    # -- the list's state --------------------------------------------------------------------
    engine: Engine
    viewer: Viewer
    query_state: ClientQuery  # the search, filters, sort and product of the table
    view: ClientView | None  # every row and the search index, once read
    loads: int  # bumped by each (re)load: answers for an older one are dropped
    product: str | None  # a product's own view, or None: the client list
    products: tuple[str, ...]  # in the practice's subscription
    extras: dict[str, ProductColumns]  # product views' added columns, once read

    # -- the Screen's, used by the parts -----------------------------------------------------
    @property
    def app(self) -> App[Any]: ...

    def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...

    def notify(self, message: str, **options: Any) -> None: ...

    def refresh_bindings(self) -> None: ...

    def register_worker_failure(self, worker: Any, failure: OnFailure) -> None: ...

    # -- the list's own ----------------------------------------------------------------------
    def start_loading(self) -> None:
        """Read every row again (the rows on screen stay meanwhile)."""

    def run_query(self) -> None:
        """Answer `query_state` again and show the answer."""

    def show_changed_clients(self, client_ids: Iterable[int]) -> None:
        """Re-read those clients' rows and patch them in."""

    def reveal_client(self, client_id: int) -> None:
        """Highlight that client, clearing the search and filters if they hide it."""

    def show_count(self, shown: int | None = None) -> None:
        """The status line: how many are shown, marked, and whether live updates run."""

    def action_filters(self) -> None:
        """The Filters dialog (its toolbar button does what its key does)."""

    def action_sort(self) -> None:
        """The Sort dialog (its toolbar button does what its key does)."""

    # -- one part's, used by another ---------------------------------------------------------
    @property
    def marks(self) -> Marks:
        """The marked clients (Selection)."""
        ...

    def refused_by_role(self, action: roles.Action, title: str) -> bool:
        """Says why the viewer may not, and True, or False when they may (ClientActions)."""
        ...

    def open_manage(self, client_id: int) -> None:
        """The Manage menu for that client (ClientActions)."""


if TYPE_CHECKING:
    Part = ListHost  # a type checker reads each part's `self` as the list
else:
    Part = object
