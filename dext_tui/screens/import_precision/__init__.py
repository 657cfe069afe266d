"""Import Precision clients: rows, link picker, review."""
