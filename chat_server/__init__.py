"""The chat server: wire protocol, server engine, session cache and headless runner."""
