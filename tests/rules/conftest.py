import pytest
from check_fixtures import load_text

from mentor_sched.problem import Problem


@pytest.fixture
def problem(tmp_path) -> Problem:
    """The checker's tiny cluster (``check_fixtures.TINY``)."""
    return load_text(tmp_path)
