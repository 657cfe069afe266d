"""The product's vocabularies (spec sections 3 and 4) and how each value is shown."""

from __future__ import annotations

PRODUCTS = ("prepare", "precision", "solo")
PRODUCT_LABELS = {"prepare": "Prepare", "precision": "Precision", "solo": "Solo"}

# Product status; `not_set_up` means the client has no account in that product.
PRODUCT_STATUSES = ("active", "invited", "deactivated", "not_set_up")
PRODUCT_STATUS_LABELS = {
    "active": "Active",
    "invited": "Invited",
    "deactivated": "Deactivated",
    "not_set_up": "—",
}

INTEGRATION_STATUSES = ("connected", "expired", "mismatch", "unintegrated")
INTEGRATION_STATUS_LABELS = {
    "connected": "Connected",
    "expired": "Expired",
    "mismatch": "Mismatch",
    "unintegrated": "Unintegrated",
}
INTEGRATION_SOFTWARE = {
    "xero": "Xero",
    "quickbooks_online": "QuickBooks Online",
    "sage": "Sage",
    "freeagent": "FreeAgent",
    "kashflow": "KashFlow",
}

CLIENT_STATES = ("active", "deactivated", "removed")
CLIENT_STATE_LABELS = {"active": "Active", "deactivated": "Deactivated", "removed": "Removed"}

ROLES = ("practice_admin", "client_admin", "standard")
ROLE_LABELS = {
    "practice_admin": "Practice admin",
    "client_admin": "Client admin",
    "standard": "Standard",
}

CLIENT_USER_ROLES = ("business_admin", "user_admin", "standard")
PRECISION_SOFTWARE = ("xero", "quickbooks_online")
PRECISION_VISIBILITY = ("whole_team", "software_users_only")
SOLO_BUSINESS_TYPES = ("self_employment", "uk_property")
SOLO_COLLECTION_METHODS = ("costs_sales", "bank")
VAT_CYCLES = ("monthly", "quarterly", "annual")
IMPORT_STATES = ("pending", "set_up_later", "imported", "linked")

# Labels for the Manage pages' pick-lists and toggles.
CLIENT_USER_ROLE_LABELS = {
    "business_admin": "Business admin",
    "user_admin": "User admin",
    "standard": "Standard",
}
PRECISION_SOFTWARE_LABELS = {key: INTEGRATION_SOFTWARE[key] for key in PRECISION_SOFTWARE}
PRECISION_VISIBILITY_LABELS = {
    "whole_team": "Whole team",
    "software_users_only": "Software users only",
}
VAT_CYCLE_LABELS = {"monthly": "Monthly", "quarterly": "Quarterly", "annual": "Annual"}
# Practice access per (colleague, client), in the order the pages show them.
ACCESS_TOGGLES = ("bookkeeping", "approval", "data_health", "account_manager")
ACCESS_TOGGLE_LABELS = {
    "bookkeeping": "Bookkeeping access",
    "approval": "Approval permission",
    "data_health": "Data-health access",
    "account_manager": "Account manager",
}
