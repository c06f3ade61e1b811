"""The client without a window: the client engine, certificate pinning and remembered identities."""
