"""Read a text file the way a contributor's editor may have saved it, or say why not."""

from __future__ import annotations

from pathlib import Path

BOM = "\ufeff"


class InputError(Exception):
    """Input that cannot be read at all: `line`/`column` say where, when known."""

    def __init__(self, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def decode(data: bytes) -> tuple[str, bool]:
    """Decode UTF-8 (a leading BOM is dropped and reported); CRLF is kept for the parser.

    Returns the text and whether it had a BOM. Raises `InputError` at the first bad byte.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        # Characters, not bytes, like every other position: the bytes before are valid UTF-8.
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        raise InputError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; save the file as UTF-8",
            line,
            column,
        ) from None
    if text.startswith(BOM):
        return text[1:], True
    return text, False


def read_text(path: Path, max_bytes: int | None = None) -> tuple[str, bool]:
    """Read and decode a file; `max_bytes` guards against enormous inputs."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(f"file is {size:,} bytes; the limit is {max_bytes:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
    return decode(data)
