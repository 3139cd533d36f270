"""`make bench`: the benchmark driver (bench.run), its results' shape (bench.records) and report (bench.report).

Run from the repository root, e.g. `bench/.venv/bin/python -m bench.run --help`.
"""
