import pytest

from dondoc.programs import actions
from dondoc.programs.services import SEED, parse_path


@pytest.fixture
def seed_parsed(reference):
    return parse_path(SEED)


@pytest.fixture
def seed(seed_parsed):
    """The seed program loaded (version 1)."""
    return actions.load_program(actor=None, parsed=seed_parsed, source_name=SEED.name)
