"""The server window and its parts: listen controls, settings, the session table, the timeline and the log."""
