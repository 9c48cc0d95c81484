"""The network analyzer, built once for the session (loading spaCy's models takes seconds)."""

import pytest


@pytest.fixture(scope="session")
def analyzer():
    from anonymization.analyzer import network_analyzer

    return network_analyzer()
