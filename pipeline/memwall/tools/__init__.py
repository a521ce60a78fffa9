"""Maintainer tools: the `memwall` command, changelog, release, docs, stage dependencies."""
