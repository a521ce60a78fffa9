"""memwall: the 'AI and Memory Wall' model tables as a typed, versioned dataset.

`memwall.load(table, version=None, repo=None)` returns a published table as a polars
DataFrame; `memwall.provenance(model_id, field)` says where one value comes from. Both are
imported on first use (PEP 562), so `import memwall` stays cheap for the CLI.
"""

from __future__ import annotations

__all__ = ["DatasetError", "load", "provenance"]


def __getattr__(name: str):
    if name in __all__:
        from memwall import api

        return getattr(api, name)
    raise AttributeError(f"module 'memwall' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
