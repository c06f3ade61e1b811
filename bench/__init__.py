"""The benchmark suite: our server beside ngircd, driven by one load generator (see docs/performance.md)."""
