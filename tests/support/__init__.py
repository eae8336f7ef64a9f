"""Test infrastructure: real servers on 127.0.0.1 for endpoint tests and benchmarks (no pytest imports)."""
