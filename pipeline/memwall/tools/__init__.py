"""Maintainer tools: commands run by hand, never by dvc.yaml."""
