"""Tests of gui/client_window."""
