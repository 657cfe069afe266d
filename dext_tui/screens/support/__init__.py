"""The support desk (spec 15): the practice picker, elevation, and the client list's
support line (read-only or elevated, with its countdown)."""
