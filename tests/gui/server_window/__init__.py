"""Tests of gui/server_window."""
