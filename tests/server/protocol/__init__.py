"""Tests of server/protocol."""
