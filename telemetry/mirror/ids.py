"""Vectorised identifiers and Arrow helpers.

Millions of rows need ids, emails and timestamps; building them with Python loops would dominate
the build time, so everything here works on whole numpy arrays and hands Arrow arrays to DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
# byte value → its two hex characters, as one uint16 in memory order (one gather per byte)
_HEX_PAIRS = (
    np.stack([_HEX[np.arange(256) >> 4], _HEX[np.arange(256) & 15]], axis=1).copy().view(np.uint16).ravel()
)


def _strings_from_fixed(chars: np.ndarray) -> pa.StringArray:
    """An (n, w) uint8 matrix of ASCII → an Arrow string array without per-row Python objects."""
    n, width = chars.shape
    data = pa.py_buffer(np.ascontiguousarray(chars))
    if (n + 1) * width < 2**31:
        return pa.StringArray.from_buffers(
            n, pa.py_buffer(np.arange(0, (n + 1) * width, width, dtype=np.int32)), data
        )
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), data).cast(pa.string())


def _hex_matrix(raw: np.ndarray) -> np.ndarray:
    """(n, k) bytes → (n, 2k) lowercase hex characters."""
    return _HEX_PAIRS[raw].view(np.uint8).reshape(raw.shape[0], raw.shape[1] * 2)


def random_bytes(rng: np.random.Generator, n: int, nbytes: int) -> np.ndarray:
    """n rows of nbytes random bytes from `rng` (deterministic for a seed)."""
    return np.frombuffer(rng.bytes(n * nbytes), dtype=np.uint8).reshape(n, nbytes)


def hex_ids(rng: np.random.Generator, n: int, nbytes: int = 16) -> pa.StringArray:
    """Lowercase hex ids (32 chars for 16 bytes), the shape of Genie, trace and request ids."""
    return _strings_from_fixed(_hex_matrix(random_bytes(rng, n, nbytes)))


def uuid_ids(rng: np.random.Generator, n: int) -> pa.StringArray:
    """Random version-4-looking UUID strings with dashes (event ids, statement ids, client ids)."""
    raw = random_bytes(rng, n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = _hex_matrix(raw)
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    src = 0
    for start, end in zip((0, 9, 14, 19, 24), (8, 13, 18, 23, 36), strict=True):
        out[:, start:end] = hexed[:, src : src + end - start]
        src += end - start
    return _strings_from_fixed(out)


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: a stable pseudo-random 64-bit value for each input key."""
    z = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def keyed_hex(keys: np.ndarray, nbytes: int = 8) -> pa.StringArray:
    """Hex ids that are a pure function of integer keys (same key → same id, e.g. a session)."""
    words = [
        mix64(keys.astype(np.uint64) * np.uint64(2654435761) + np.uint64(i)) for i in range((nbytes + 7) // 8)
    ]
    raw = np.stack(words, axis=1).astype(">u8").view(np.uint8).reshape(len(keys), 8 * len(words))[:, :nbytes]
    return _strings_from_fixed(_hex_matrix(np.ascontiguousarray(raw)))


def pick(values: Sequence[str] | pa.Array, idx: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """values[idx] as a dictionary array (cheap for DuckDB); `mask` True → NULL."""
    dictionary = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    indices = pa.array(np.asarray(idx, dtype=np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def take(values: Sequence[str] | pa.Array, idx: np.ndarray) -> pa.Array:
    """values[idx] materialised as a plain string array (for concatenation with others)."""
    dictionary = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    return dictionary.take(pa.array(np.asarray(idx, dtype=np.int64)))


def timestamps(us: np.ndarray) -> pa.TimestampArray:
    """Microseconds since the epoch (UTC) → Arrow timestamp[us] (DuckDB TIMESTAMP)."""
    return pa.array(np.asarray(us, dtype=np.int64), pa.timestamp("us"))


def as_strings(column: pa.Array | None, n: int) -> pa.Array:
    """A plain string array of length n (dictionary arrays decoded, None → all NULL)."""
    if column is None:
        return pa.nulls(n, pa.string())
    if pa.types.is_dictionary(column.type):
        return column.cast(pa.string())
    return column


def string_map(
    key_table: Sequence[Sequence[str]], kind: np.ndarray, columns: Sequence[pa.Array | None]
) -> pa.MapArray:
    """A MAP<STRING,STRING> column: row i holds key_table[kind[i]][j] → columns[j][i].

    Building maps in Arrow (instead of one SQL text per event kind) lets one INSERT carry many
    event kinds, each with its own request_params keys, in a single vectorised pass.
    """
    n = len(kind)
    names = sorted({k for keys in key_table for k in keys})
    width = max(len(keys) for keys in key_table)
    key_idx = np.full((len(key_table), max(width, 1)), -1, dtype=np.int32)
    for row, keys in enumerate(key_table):
        key_idx[row, : len(keys)] = [names.index(k) for k in keys]
    counts = np.array([len(keys) for keys in key_table], dtype=np.int32)[kind]
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    rows = np.repeat(np.arange(n), counts)
    slots = np.arange(offsets[-1]) - offsets[:-1][rows]
    key_arr = pa.array(names, pa.string()).take(pa.array(key_idx[kind[rows], slots]))
    stacked = pa.concat_arrays([as_strings(c, n) for c in columns[:width]])
    items = stacked.take(pa.array(slots.astype(np.int64) * n + rows))
    return pa.MapArray.from_arrays(pa.array(offsets), key_arr, items)
