"""Hypothesis strategies shared by the property tests of the readers."""

from __future__ import annotations

from hypothesis import strategies as st


def cell_texts(samples: list[str], forbidden: str, max_size: int) -> st.SearchStrategy[str]:
    """A table cell's text: one of `samples` (the forms a reader must know), or short text
    without the `forbidden` characters (the format's delimiters) and without lone surrogates
    (category Cs), which no UTF-8 file holds once decoded."""
    return st.one_of(
        st.sampled_from(samples),
        st.text(
            alphabet=st.characters(blacklist_characters=forbidden, blacklist_categories=("Cs",)),
            max_size=max_size,
        ),
    )
