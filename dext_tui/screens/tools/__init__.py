"""Tools: upload practice codes, export the client list, their file dialogs."""
