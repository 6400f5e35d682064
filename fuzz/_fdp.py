"""A FuzzedDataProvider that reads its input strictly front to back.

It offers the subset of ``atheris.FuzzedDataProvider``'s interface the targets use
(same method names and meaning), plus :class:`ByteWriter`, its exact inverse.
Why not atheris' own provider: (1) ``make_corpus.py`` must be able to *write*
seed inputs that decode to chosen method calls, which needs a documented,
invertible encoding; (2) crash inputs must replay without atheris installed
(``--replay``, ``Tests/python/test_fuzz_regressions.py``). Past the end of the
input every read returns zeros, i.e. the smallest value.
"""

from __future__ import annotations


def _width(span: int) -> int:
    return max(1, (span.bit_length() + 7) // 8) if span > 0 else 0


class FuzzedDataProvider:
    def __init__(self, data: bytes):
        self._data = bytes(data)
        self._pos = 0

    def remaining_bytes(self) -> int:
        return len(self._data) - self._pos

    def _take(self, n: int) -> bytes:
        chunk = self._data[self._pos : self._pos + n]
        self._pos += len(chunk)
        return chunk

    def ConsumeBytes(self, count: int) -> bytes:
        return self._take(max(0, count))

    def ConsumeRemainingBytes(self) -> bytes:
        return self._take(self.remaining_bytes())

    def ConsumeIntInRange(self, lo: int, hi: int) -> int:
        span = hi - lo
        n = _width(span)
        if n == 0:
            return lo
        raw = self._take(n).ljust(n, b"\0")
        return lo + int.from_bytes(raw, "big") % (span + 1)

    def ConsumeInt(self, byte_size: int) -> int:
        raw = self._take(byte_size).ljust(byte_size, b"\0")
        return int.from_bytes(raw, "big", signed=True)

    def ConsumeBool(self) -> bool:
        return bool(self.ConsumeIntInRange(0, 1))

    def PickValueInList(self, values):
        return values[self.ConsumeIntInRange(0, len(values) - 1)]

    def ConsumeLengthPrefixedBytes(self, max_len: int) -> bytes:
        return self.ConsumeBytes(self.ConsumeIntInRange(0, max_len))

    def ConsumeUnicode(self, count: int) -> str:
        """Up to ``count`` characters: ASCII, Latin-1, UTF-16 code units (lone
        surrogates included) or any code point, chosen by the first byte."""
        kind = self.ConsumeIntInRange(0, 3)
        n = self.ConsumeIntInRange(0, count)
        if kind == 0:
            return "".join(chr(b & 0x7F) for b in self.ConsumeBytes(n))
        if kind == 1:
            return self.ConsumeBytes(n).decode("latin-1")
        if kind == 2:
            raw = self.ConsumeBytes(2 * n)
            return "".join(chr(int.from_bytes(raw[i : i + 2], "big")) for i in range(0, len(raw) - 1, 2))
        raw = self.ConsumeBytes(3 * n)
        return "".join(
            chr(int.from_bytes(raw[i : i + 3], "big") % 0x110000) for i in range(0, len(raw) - 2, 3)
        )


class ByteWriter:
    """Builds an input that a :class:`FuzzedDataProvider` decodes to the given
    sequence of values (used by make_corpus.py)."""

    def __init__(self):
        self._parts: list[bytes] = []

    def getvalue(self) -> bytes:
        return b"".join(self._parts)

    def Bytes(self, data: bytes) -> "ByteWriter":
        self._parts.append(bytes(data))
        return self

    def IntInRange(self, value: int, lo: int, hi: int) -> "ByteWriter":
        if not lo <= value <= hi:
            raise ValueError(f"{value} not in [{lo}, {hi}]")
        n = _width(hi - lo)
        if n:
            self._parts.append((value - lo).to_bytes(n, "big"))
        return self

    def Bool(self, value: bool) -> "ByteWriter":
        return self.IntInRange(int(bool(value)), 0, 1)

    def Pick(self, value, values) -> "ByteWriter":
        return self.IntInRange(list(values).index(value), 0, len(values) - 1)

    def LengthPrefixedBytes(self, data: bytes, max_len: int) -> "ByteWriter":
        self.IntInRange(len(data), 0, max_len)
        return self.Bytes(data)

    def Unicode(self, text: str, count: int) -> "ByteWriter":
        self.IntInRange(3, 0, 3)
        self.IntInRange(len(text), 0, count)
        return self.Bytes(b"".join(ord(c).to_bytes(3, "big") for c in text))
