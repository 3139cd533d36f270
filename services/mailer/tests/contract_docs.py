"""The contract's documents as the tests read them (docs/contracts/): schemas and examples.

The examples are read from the Markdown, between its `<!-- name: start -->` and `<!-- name: end -->`
markers, so the mailer is tested against the very examples the API is.
"""

import json
import re
from pathlib import Path

import jsonschema

CONTRACTS = Path(__file__).resolve().parents[3] / "docs" / "contracts"
# Every version the contract has, from its schema files' names.
VERSIONS = tuple(
    sorted(
        int(path.name.split(".")[0].removeprefix("mail-message-v"))
        for path in CONTRACTS.glob("mail-message-v*.schema.json")
    )
)
_JSON_BLOCK = re.compile(r"^```json\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# One row of an examples table: a JSON value in a code span, yes or no, and why.
_ROW = re.compile(r"^\| `(.*)` \| (yes|no) \| .+ \|$")


def markdown(version):
    return (CONTRACTS / f"mail-message-v{version}.md").read_text()


def schema(version):
    return json.loads((CONTRACTS / f"mail-message-v{version}.schema.json").read_text())


def schema_validator(version):
    # With a format checker (and rfc3339-validator installed) "uuid" and "date-time" are enforced too.
    return jsonschema.Draft202012Validator(schema(version), format_checker=jsonschema.FormatChecker())


def section(version, name):
    """The text between the markers `<!-- name: start -->` and `<!-- name: end -->`."""
    text = markdown(version)
    return text.split(f"<!-- {name}: start -->", 1)[1].split(f"<!-- {name}: end -->", 1)[0]


def json_blocks(text):
    return [json.loads(block) for block in _JSON_BLOCK.findall(text)]


def documented_example(version):
    """The contract's first example payload (v1 has only one)."""
    return json_blocks(markdown(version))[0]


def valid_examples(version=2):
    return json_blocks(section(version, "valid-examples"))


def invalid_examples(version=2):
    return json_blocks(section(version, "invalid-examples"))


def table(version, name):
    """An examples table as (JSON value, valid) pairs."""
    lines = section(version, name).strip().splitlines()[2:]
    rows = [row for row in map(_ROW.match, lines) if row is not None]
    assert len(rows) == len(lines), "every row of the table is `json value` | yes/no | why"
    return [(json.loads(row.group(1)), row.group(2) == "yes") for row in rows]


def language_examples():
    return table(2, "language-examples")


def kinds_named(version):
    """The kinds the contract's `kind` row lists as the API's."""
    row = next(line for line in markdown(version).splitlines() if line.startswith("| `kind` |"))
    return re.findall(r"`([a-z][a-z0-9_]*)`", row.split("|")[3].split("(a mailer")[0])
