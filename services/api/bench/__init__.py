"""Benchmark mode (BENCH_MODE=true): comparison endpoints and the seeding/counting commands of `make bench`."""
