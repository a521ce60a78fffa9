"""Maintainer tools, run by hand, never by dvc.yaml: the `memwall` command, changelog, release,
docs, stage dependencies, raw snapshots."""
