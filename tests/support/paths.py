"""Where the repository's files are, and the development data beside it (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEEDS_GOLD = ROOT / "data" / "seeds.gold.jsonl"
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_file(name: str) -> Path:
    """A development data file, or skip the test when ../shared is not beside the repo."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"development data {path} is not available")
    return path
