"""SECURITY.md's tables stay true: a row for each checklist item (1-46) and each attack
finding, every one proven by at least one test, and every test it names exists (so renaming a
test means updating the table)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_ROOTS = [ROOT / "tests", ROOT / "services" / "api" / "tests", ROOT / "services" / "mailer" / "tests"]


def table_rows():
    text = (ROOT / "SECURITY.md").read_text()
    return {int(n): tests for n, tests in re.findall(r"^\| (\d+) \| [^|]+ \| (.+) \|$", text, re.M)}


def hardening_rows():
    """The attack runs' findings: H1-H17 and R1-R48."""
    text = (ROOT / "SECURITY.md").read_text()
    return dict(re.findall(r"^\| ([HR]\d+) \| [^|]+ \| (.+) \|$", text, re.M))


def python_test_sources():
    """File name → the text of every test file of that name (api and mailer both have test_settings.py)."""
    sources: dict[str, str] = {}
    for root in TEST_ROOTS:
        for path in root.rglob("test_*.py"):
            sources[path.name] = sources.get(path.name, "") + path.read_text()
    return sources


def test_every_checklist_item_has_a_row_naming_tests():
    rows = table_rows()
    assert sorted(rows) == list(range(1, 47))
    for item, tests in rows.items():
        assert re.search(r"`[\w/.]*test_\w+", tests), f"item {item} names no test"


def test_every_test_the_table_names_exists():
    sources = python_test_sources()
    every_source = "\n".join(sources.values())
    named = re.findall(
        r"`(?:(\w+\.py)::)?(test_\w+?)(?:\[[^`]*\])?`", "\n".join([*table_rows().values(), *hardening_rows().values()])
    )
    assert len(named) > 80
    for file, name in named:
        if name.endswith("_"):  # "test_01_…": a prefix that names a test given in full elsewhere
            assert re.search(rf"def {name}\w*\(", every_source), name
        elif file:
            assert file in sources and f"def {name}(" in sources[file], f"{file}::{name}"
        else:
            assert f"def {name}(" in every_source, name
    web_tests = re.findall(r"`([\w.-]+\.test\.[jt]sx?)`", (ROOT / "SECURITY.md").read_text())
    assert web_tests
    for web_test in web_tests:
        assert list((ROOT / "services" / "web" / "src").rglob(web_test)), web_test


def test_every_attack_finding_has_a_row_naming_tests():
    rows = hardening_rows()
    assert sorted(rows) == sorted([f"H{i}" for i in range(1, 18)] + [f"R{i}" for i in range(1, 49)])
    for finding, tests in rows.items():
        assert re.search(r"`[\w/.]*test_\w+", tests), f"{finding} names no test"
