"""Lists in messages: the first few items, and how many more there are."""

from __future__ import annotations

from collections.abc import Sequence


def first_and_more(items: Sequence[str], shown: int) -> str:
    """The first `shown` items, comma-separated, then "and N more" for the rest (a message
    stays short however many items there are)."""
    more = len(items) - shown
    listed = ", ".join(items[:shown])
    return f"{listed} and {more:,} more" if more > 0 else listed
