"""Parts both windows use: the session table's model and the Status dialog."""
