"""Fixtures for the provenance tests: a test CA, one warm isolated reader and one pool of two
per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from critique_app.provenance.c2pa_signer import SigningIdentity
from critique_app.provenance.isolation import IsolatedReader
from critique_app.provenance.reader_pool import ReaderPool
from tests.provenance.ca import signing_identity


@pytest.fixture(scope="session")
def identity() -> SigningIdentity:
    return signing_identity()


@pytest.fixture(scope="session")
def isolated_reader() -> Iterator[IsolatedReader]:
    reader = IsolatedReader()
    yield reader
    reader.close()


@pytest.fixture(scope="session")
def reader_pool() -> Iterator[ReaderPool]:
    """Two workers sharing a batch, as `verify` runs on a machine with two cores or more."""
    pool = ReaderPool(2)
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def ca_pem(identity: SigningIdentity, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    path.write_text(identity.ca_pem)
    return str(path)
