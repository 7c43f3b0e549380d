"""Fixtures shared by unit and integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CASE_01 = FIXTURES / "conformance" / "case-01"


@pytest.fixture
def case01() -> Path:
    """The conformance case 01 (copied from shared/conformance)."""
    return CASE_01
