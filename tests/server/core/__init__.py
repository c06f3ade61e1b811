"""Tests of server/core."""
