"""Points packed into a short URL-safe string, exact to 6 decimals (the ``pts`` of a link).

Layout 1: a header byte, then a body that is zlib-compressed when that is shorter.

    header  bits 7-4: layout (1)  bit 3: body is zlib-compressed  bits 2-0: decimals d
    body    varint n                       (nothing follows when n == 0)
            varint zigzag(min of x·10^d), varint zigzag(min of y·10^d)
            byte wx, byte wy               bit widths of the offsets from those minima
            bit stream, big-endian, zero-padded to whole bytes:
              n labels (1 bit each), then n x offsets (wx bits each), then n y offsets

Points in [-5, 5] with 3 decimals need 14 bits per coordinate, so 200 of the
"overlapping" preset pack to 979 characters (delta-coded varints plus zlib: ~1,100).
Every link made so far holds this layout, so it stays, whatever else a new layout
would save.
"""

import base64
import math
import re
import zlib

import numpy as np

from perceptron.limits import MAX_ABS_COORDINATE, MAX_POINTS
from perceptron.points import checked_points

# Longest accepted packed text: a full 2,000-point set packs to about 28,000 characters.
MAX_PTS_CHARS = 40_000
# Coordinates travel as integers times 10**-d with d <= 6; finer digits are rounded.
MAX_DECIMALS = 6


_PTS_LAYOUT = 1
# Coordinates within ±MAX_ABS_COORDINATE at MAX_DECIMALS, as integers, and the bits
# their offsets from the minimum can need.
_MAX_SCALED = int(MAX_ABS_COORDINATE) * 10**MAX_DECIMALS
_MAX_WIDTH = (2 * _MAX_SCALED).bit_length()
# Largest body a valid link can hold (n varint, two minima, widths, bits), with room to
# spare; inflating stops here, so a small "zip bomb" cannot fill the memory.
_MAX_BODY_BYTES = 32_768
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def pack_points(X: np.ndarray, y: np.ndarray) -> str:
    """Pack points ``X`` ``(n, 2)`` and labels ``y`` ``(n,)`` into a URL-safe string.

    Exact for coordinates with at most 6 decimals (it uses the fewest decimals that
    reproduce every coordinate); finer coordinates are rounded to 6 decimals.
    """
    X, y = checked_points(X, y)
    d = _decimals_needed(X)
    body = _pack_body(np.round(X * 10.0**d).astype(np.int64), y)
    compressed = zlib.compress(body, 9)
    use_zlib = len(compressed) < len(body)
    header = bytes([_PTS_LAYOUT << 4 | use_zlib << 3 | d])
    payload = header + (compressed if use_zlib else body)
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")


def unpack_points(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Points ``X`` ``(n, 2)`` and labels ``y`` ``(n,)`` from ``pack_points`` output.

    Raises ValueError whose message says in plain words what is wrong with ``text``.
    """
    if len(text) > MAX_PTS_CHARS:
        raise ValueError(f"{len(text):,} characters, more than the {MAX_PTS_CHARS:,} allowed")
    data = _base64url_decode(text)
    if not data:
        raise ValueError("nothing in it")
    layout, use_zlib, d = data[0] >> 4, data[0] >> 3 & 1, data[0] & 7
    if layout != _PTS_LAYOUT:
        raise ValueError(f"unknown points layout {layout}")
    if d > MAX_DECIMALS:
        raise ValueError(f"{d} decimals, more than {MAX_DECIMALS}")
    k, y = _unpack_body(_inflate(data[1:]) if use_zlib else data[1:])
    X = k / 10.0**d
    if len(X) and np.abs(X).max() > MAX_ABS_COORDINATE:
        raise ValueError(f"a coordinate lies beyond ±{MAX_ABS_COORDINATE:,.0f}")
    return checked_points(X, y)


def _decimals_needed(X: np.ndarray) -> int:
    for d in range(MAX_DECIMALS):
        scale = 10.0**d
        if np.array_equal(np.round(X * scale) / scale, X):
            return d
    return MAX_DECIMALS


def _pack_body(k: np.ndarray, y: np.ndarray) -> bytes:
    if len(k) == 0:
        return _varint(0)
    low = k.min(axis=0)
    offsets = k - low
    widths = [int(offsets[:, i].max()).bit_length() for i in (0, 1)]
    bits = np.concatenate(
        [y.astype(np.uint8), _to_bits(offsets[:, 0], widths[0]), _to_bits(offsets[:, 1], widths[1])]
    )
    head = _varint(len(k)) + _varint(_zigzag(int(low[0]))) + _varint(_zigzag(int(low[1])))
    return head + bytes(widths) + np.packbits(bits).tobytes()


def _unpack_body(body: bytes) -> tuple[np.ndarray, np.ndarray]:
    reader = _ByteReader(body)
    n = reader.varint()
    if n > MAX_POINTS:
        raise ValueError(f"{n:,} points, more than the {MAX_POINTS:,} allowed")
    if n == 0:
        reader.expect_end()
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    low = [_unzigzag(reader.varint()), _unzigzag(reader.varint())]
    widths = reader.take(2)
    if max(widths) > _MAX_WIDTH or max(abs(low[0]), abs(low[1])) > _MAX_SCALED:
        raise ValueError("a coordinate is out of range")
    bits = np.unpackbits(np.frombuffer(reader.take(math.ceil(n * (1 + sum(widths)) / 8)), np.uint8))
    reader.expect_end()
    x_end = n + n * widths[0]
    x = low[0] + _from_bits(bits[n:x_end], widths[0], n)
    y = low[1] + _from_bits(bits[x_end : x_end + n * widths[1]], widths[1], n)
    return np.column_stack([x, y]), bits[:n].astype(np.float64)


def _to_bits(values: np.ndarray, width: int) -> np.ndarray:
    """Each value as ``width`` bits, most significant first."""
    shifts = np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] >> shifts) & 1).astype(np.uint8).ravel()


def _from_bits(bits: np.ndarray, width: int, n: int) -> np.ndarray:
    shifts = np.arange(width - 1, -1, -1, dtype=np.int64)
    return (bits.reshape(n, width).astype(np.int64) << shifts).sum(axis=1)


def _varint(value: int) -> bytes:
    """LEB128: 7 bits per byte, least significant first, high bit set on all but the last."""
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _zigzag(value: int) -> int:
    """0, -1, 1, -2, ... to 0, 1, 2, 3, ...: small negatives stay short varints."""
    return 2 * value if value >= 0 else -2 * value - 1


def _unzigzag(value: int) -> int:
    return value >> 1 if value % 2 == 0 else -(value >> 1) - 1


class _ByteReader:
    """Reads a body front to back; running short raises ValueError."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, count: int) -> bytes:
        if self.pos + count > len(self.data):
            raise ValueError("cut short")
        self.pos += count
        return self.data[self.pos - count : self.pos]

    def varint(self) -> int:
        value = 0
        for shift in range(0, 64, 7):
            byte = self.take(1)[0]
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
        raise ValueError("a number in it is too long")

    def expect_end(self) -> None:
        if self.pos != len(self.data):
            raise ValueError("extra data at the end")


def _base64url_decode(text: str) -> bytes:
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not valid base64url text")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(data, _MAX_BODY_BYTES)
    except zlib.error:
        raise ValueError("the compressed data is broken") from None
    if inflater.unconsumed_tail or inflater.unused_data or not inflater.eof:
        raise ValueError("the compressed data is broken or too large")
    return body
