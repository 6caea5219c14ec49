"""The conformance mode: `pytest --against-aws` runs the aws_verified tests on a real endpoint.

These tests point that mode at this session's simulator (`--aws-endpoint`), which proves the
selection and the client wiring without an AWS account: the same command with real credentials
and no `--aws-endpoint` runs against AWS (README, "Conformance against AWS").
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_pytest(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    env.pop("AWS_SESSION_TOKEN", None)
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider"]
    return subprocess.run(
        [*command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def collected(output: str) -> set[str]:
    return {line.strip() for line in output.splitlines() if "::" in line}


def test_against_aws_selects_only_read_only_aws_verified_tests(dx_url: str) -> None:
    result = run_pytest(
        "tests/dxsim", "--collect-only", "-q", "--against-aws", "--aws-endpoint", dx_url
    )
    assert result.returncode == 0, result.stdout + result.stderr
    selected = collected(result.stdout)
    assert selected, result.stdout
    assert all(name.endswith(("[json]", "[cbor]")) for name in selected)
    with_writes = run_pytest(
        "tests/dxsim",
        "--collect-only",
        "-q",
        "--against-aws",
        "--aws-writes",
        "--aws-endpoint",
        dx_url,
    )
    assert collected(with_writes.stdout) > selected
    everything = collected(run_pytest("tests/dxsim", "--collect-only", "-q").stdout)
    assert selected < everything


@pytest.mark.parametrize("writes", [False, True], ids=["read-only", "with-writes"])
def test_the_selected_tests_pass_on_an_endpoint_given_by_url(dx_url: str, writes: bool) -> None:
    flags = ["--aws-writes"] if writes else []
    result = run_pytest("tests/dxsim", "-q", "--against-aws", *flags, "--aws-endpoint", dx_url)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = re.search(r"(\d+) passed, (\d+) deselected", result.stdout)
    assert summary is not None, result.stdout[-3000:]
    assert int(summary.group(1)) > 0
