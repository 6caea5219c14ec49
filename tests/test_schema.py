"""schema.graphql at the repository root is the exported SDL, always in sync."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gql.engine.schema import build_schema

ROOT = Path(__file__).resolve().parents[1]


def test_schema_graphql_is_up_to_date() -> None:
    expected = (ROOT / "schema.graphql").read_text()
    assert build_schema().as_str() + "\n" == expected, (
        "schema.graphql is stale: run `dxgraph export-schema > schema.graphql`"
    )


def test_export_schema_command_prints_the_committed_sdl() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gql", "export-schema"], capture_output=True, text=True, check=True
    )
    assert result.stdout == (ROOT / "schema.graphql").read_text()


def test_every_type_and_field_has_a_description() -> None:
    missing = []
    for name, graphql_type in build_schema()._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
    assert missing == []
