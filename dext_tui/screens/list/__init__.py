"""The client list and its parts: product views, switcher, filters, sort."""
