from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "stour-valley" / "cluster.yaml"


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE
