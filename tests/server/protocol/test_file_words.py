"""The size of a shared file as text members read it: 1000-based, one decimal, the unit chosen after rounding."""

from __future__ import annotations

import pytest

from chat_server.protocol.file_words import size_words


@pytest.mark.parametrize(("size", "words"), [
    (0, "0 B"), (999, "999 B"), (1000, "1.0 KB"), (1234, "1.2 KB"), (999_949, "999.9 KB"),
    (999_950, "1.0 MB"), (1_200_000, "1.2 MB"), (999_960_000, "1.0 GB"), (1_073_741_824, "1.1 GB"),
    (5_000_000_000_000, "5000.0 GB"),
])
def test_a_size_reads_in_the_unit_it_rounds_to(size: int, words: str) -> None:
    assert size_words(size) == words
