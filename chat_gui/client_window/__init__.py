"""The client window and its parts: the connect panel, the transcript, the member list and the dialogs."""
