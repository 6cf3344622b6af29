"""The data-only boundary between a learner's sandboxed process and the checker: framing and a safe codec.

This module is copied into the sandbox (as ``ai4med_wire``) and imported by the checker (as ``grader.wire``), so it
imports nothing from ``grader`` or ``helpers``.

Checker -> sandbox: pickle (the sandbox trusts the checker; arguments may be fitted estimators or DataFrames).
Sandbox -> checker: JSON only. NumPy arrays travel as ``.npy`` bytes read back with ``allow_pickle=False``;
DataFrames and Series as columns plus index; anything else (a function, a fitted model, an instance of a learner's
class) stays in the sandbox and crosses as a *handle* the checker can call or query. Nothing the learner's process
sends is ever unpickled or evaluated by the checker.
"""

from __future__ import annotations

import base64
import io
import math
import os
import struct

__all__ = ["Channel", "WireError", "from_tree", "to_tree"]

HEADER = struct.Struct("!Q")
MAX_DEPTH = 40


class WireError(Exception):
    """A message that cannot be framed, encoded or decoded (too large, malformed, unsupported)."""


# ----------------------------------------------------------------------------------------------------- framing


class Channel:
    """Length-prefixed messages over two file descriptors (one to read, one to write)."""

    def __init__(self, read_fd: int, write_fd: int, max_bytes: int):
        self.read_fd, self.write_fd, self.max_bytes = read_fd, write_fd, max_bytes

    def send(self, payload: bytes) -> None:
        data = HEADER.pack(len(payload)) + payload
        view = memoryview(data)
        while view:
            written = os.write(self.write_fd, view)
            view = view[written:]

    def _read_exactly(self, n: int, deadline: float | None) -> bytes:
        import select
        import time

        chunks, remaining = [], n
        while remaining:
            if deadline is not None:
                wait = deadline - time.monotonic()
                if wait <= 0:
                    raise TimeoutError("no answer in time")
                ready, _, _ = select.select([self.read_fd], [], [], wait)
                if not ready:
                    raise TimeoutError("no answer in time")
            chunk = os.read(self.read_fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError("the other side closed the channel")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def receive(self, deadline: float | None = None) -> bytes:
        (size,) = HEADER.unpack(self._read_exactly(HEADER.size, deadline))
        if size > self.max_bytes:
            raise WireError(f"a message of {size} bytes exceeds the limit of {self.max_bytes} bytes")
        return self._read_exactly(size, deadline)


# ----------------------------------------------------------------------------------------------------- encoding


def _npy(arr) -> str:
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, arr, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _from_npy(text: str):
    import numpy as np

    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def _float(x: float):
    # float(x): np.float64 is a float subclass whose repr under NumPy 2 is 'np.float64(nan)', not 'nan'
    return x if math.isfinite(x) else {"$": "float", "v": repr(float(x))}


class _Encoder:
    def __init__(self, make_handle, max_bytes: int):
        self.make_handle, self.max_bytes, self.size = make_handle, max_bytes, 0

    def count(self, n: int) -> None:
        self.size += n
        if self.size > self.max_bytes:
            raise WireError(f"the result is larger than {self.max_bytes // 2**20} MB")

    def array(self, arr):
        import numpy as np

        arr = np.asarray(arr)
        if arr.dtype.hasobject or arr.dtype.kind == "V":
            flat = [self.value(x, 1) for x in arr.reshape(-1).tolist()]
            return {"$": "ndo", "shape": list(arr.shape), "items": flat}
        self.count(arr.nbytes)
        return {"$": "nd", "npy": _npy(arr)}

    def index(self, idx):
        import pandas as pd

        if isinstance(idx, pd.RangeIndex):
            return {
                "$": "range",
                "start": idx.start,
                "stop": idx.stop,
                "step": idx.step,
                "name": self.value(idx.name, 1),
            }
        if isinstance(idx, pd.MultiIndex):
            return {"$": "multi", "tuples": self.value(list(idx), 1), "names": self.value(list(idx.names), 1)}
        return {"$": "index", "values": self.column(idx), "name": self.value(idx.name, 1)}

    def column(self, values):
        import numpy as np
        import pandas as pd

        dtype = getattr(values, "dtype", None)
        if isinstance(dtype, pd.CategoricalDtype):
            cat = pd.Categorical(values)
            return {
                "$": "cat",
                "codes": self.array(cat.codes),
                "categories": self.index(cat.categories),
                "ordered": bool(cat.ordered),
            }
        if dtype is not None and not isinstance(dtype, np.dtype):  # pandas extension dtypes (Int64, string, ...)
            return {"$": "ext", "dtype": str(dtype), "values": self.array(np.asarray(values, dtype=object))}
        return self.array(np.asarray(values))

    def value(self, obj, depth: int = 0):
        if depth > MAX_DEPTH:
            raise WireError("the result is nested too deeply")
        if obj is None or isinstance(obj, (bool, str)):
            if isinstance(obj, str):
                self.count(len(obj))
            return obj
        if isinstance(obj, int):
            return obj if abs(obj) < 2**53 else {"$": "bigint", "v": str(obj)}
        if isinstance(obj, float):
            return _float(obj)
        if isinstance(obj, complex):
            return {"$": "complex", "re": _float(obj.real), "im": _float(obj.imag)}
        if isinstance(obj, bytes):
            self.count(len(obj))
            return {"$": "bytes", "b64": base64.b64encode(obj).decode("ascii")}
        if isinstance(obj, (list, tuple, set, frozenset, dict)):
            self.count(8 * len(obj))
        if isinstance(obj, tuple):
            return {"$": "tuple", "v": [self.value(x, depth + 1) for x in obj]}
        if isinstance(obj, list):
            return {"$": "list", "v": [self.value(x, depth + 1) for x in obj]}
        if isinstance(obj, (set, frozenset)):
            return {"$": "set", "v": [self.value(x, depth + 1) for x in obj]}
        if isinstance(obj, dict):
            return {"$": "dict", "v": [[self.value(k, depth + 1), self.value(v, depth + 1)] for k, v in obj.items()]}
        module = type(obj).__module__ or ""
        if module.startswith("numpy") or module.startswith("pandas"):
            encoded = self.numpy_or_pandas(obj, depth)
            if encoded is not None:
                return encoded
        if isinstance(obj, range):
            return {"$": "list", "v": list(obj)}
        import numbers

        if isinstance(obj, numbers.Integral):
            return self.value(int(obj), depth)
        if isinstance(obj, numbers.Real) and not callable(obj):
            return _float(float(obj))
        array = self.as_array(obj)
        if array is not None:
            return self.array(array)
        return self.make_handle(obj)

    def numpy_or_pandas(self, obj, depth: int):
        import numpy as np
        import pandas as pd

        if isinstance(obj, np.ndarray):
            return self.array(obj)
        if isinstance(obj, np.generic):
            if isinstance(obj, np.object_):
                return None
            return {"$": "npscalar", "npy": _npy(np.asarray(obj))}
        if isinstance(obj, pd.DataFrame):
            return {
                "$": "frame",
                "columns": self.index(obj.columns),
                "index": self.index(obj.index),
                "data": [self.column(obj.iloc[:, i]) for i in range(obj.shape[1])],
            }
        if isinstance(obj, pd.Series):
            return {
                "$": "series",
                "values": self.column(obj),
                "index": self.index(obj.index),
                "name": self.value(obj.name, depth + 1),
            }
        if isinstance(obj, pd.Index):
            return self.index(obj)
        if obj is pd.NA:
            return {"$": "na"}
        if isinstance(obj, pd.Timestamp):
            return {"$": "npscalar", "npy": _npy(np.asarray(obj.to_datetime64()))}
        if isinstance(obj, pd.Interval):  # e.g. the bins of pd.qcut / pd.cut, as a Series index
            return {
                "$": "interval",
                "left": self.value(obj.left, depth + 1),
                "right": self.value(obj.right, depth + 1),
                "closed": str(obj.closed),
            }
        return None

    @staticmethod
    def as_array(obj):
        """Tensors (TensorFlow, PyTorch, JAX) and array-likes become NumPy arrays on the learner's side."""
        if not hasattr(obj, "__array__") or isinstance(obj, type):
            return None
        import numpy as np

        for convert in (lambda x: x.detach().cpu().numpy(), lambda x: x.numpy(), np.asarray):
            try:
                arr = np.asarray(convert(obj))
            except Exception:  # noqa: BLE001 - try the next conversion
                continue
            if not arr.dtype.hasobject:
                return arr
        return None


def to_tree(obj, make_handle, max_bytes: int = 64 * 2**20):
    """A JSON-able tree for ``obj``; values that are not plain data become ``make_handle(obj)`` (a JSON-able dict)."""
    return _Encoder(make_handle, max_bytes).value(obj)


# ----------------------------------------------------------------------------------------------------- decoding


def _index(node, decode_value):
    import pandas as pd

    kind = node.get("$")
    if kind == "range":
        return pd.RangeIndex(int(node["start"]), int(node["stop"]), int(node["step"]), name=decode_value(node["name"]))
    if kind == "multi":
        tuples = decode_value(node["tuples"])
        return pd.MultiIndex.from_tuples(tuples, names=decode_value(node["names"]))
    if kind == "index":
        return pd.Index(_column(node["values"], decode_value), name=decode_value(node["name"]))
    raise WireError(f"not an index: {kind!r}")


def _column(node, decode_value):
    import pandas as pd

    kind = node.get("$")
    if kind == "cat":
        return pd.Categorical.from_codes(
            _array(node["codes"], decode_value), _index(node["categories"], decode_value), ordered=bool(node["ordered"])
        )
    if kind == "ext":
        values = _array(node["values"], decode_value)
        try:
            return pd.array(values, dtype=pd.api.types.pandas_dtype(str(node["dtype"])))
        except (TypeError, ValueError):
            return values
    return _array(node, decode_value)


def _array(node, decode_value):
    import numpy as np

    kind = node.get("$")
    if kind == "nd":
        return _from_npy(node["npy"])
    if kind == "ndo":
        items = [decode_value(x) for x in node["items"]]
        arr = np.empty(len(items), dtype=object)
        arr[:] = items if items else []
        return arr.reshape([int(n) for n in node["shape"]])
    raise WireError(f"not an array: {kind!r}")


def from_tree(tree, make_proxy):
    """Rebuild a value from :func:`to_tree`'s tree (parsed from JSON); handles become ``make_proxy(handle_dict)``."""
    import numpy as np
    import pandas as pd

    def value(node):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            raise WireError("bare JSON list")
        kind = node.get("$")
        if kind == "float":
            return float(node["v"])
        if kind == "bigint":
            return int(node["v"])
        if kind == "complex":
            return complex(value(node["re"]), value(node["im"]))
        if kind == "bytes":
            return base64.b64decode(node["b64"])
        if kind == "tuple":
            return tuple(value(x) for x in node["v"])
        if kind == "list":
            return [value(x) for x in node["v"]]
        if kind == "set":
            return {value(x) for x in node["v"]}
        if kind == "dict":
            return {_hashable(value(k)): value(v) for k, v in node["v"]}
        if kind in ("nd", "ndo"):
            return _array(node, value)
        if kind == "npscalar":
            return _from_npy(node["npy"])[()]
        if kind in ("range", "multi", "index"):
            return _index(node, value)
        if kind == "series":
            return pd.Series(
                _column(node["values"], value), index=_index(node["index"], value), name=_hashable(value(node["name"]))
            )
        if kind == "frame":
            columns = _index(node["columns"], value)
            data = [_column(c, value) for c in node["data"]]
            frame = pd.DataFrame(dict(enumerate(data)), index=_index(node["index"], value))
            if not data:
                frame = pd.DataFrame(index=frame.index)
            frame.columns = columns
            return frame
        if kind == "na":
            return pd.NA
        if kind == "interval":
            return pd.Interval(value(node["left"]), value(node["right"]), closed=str(node["closed"]))
        if kind == "handle":
            return make_proxy(node)
        raise WireError(f"unknown value kind {kind!r}")

    try:
        return value(tree)
    except WireError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, np.exceptions.AxisError) as err:
        raise WireError(f"malformed result ({type(err).__name__}: {err})") from None


def _hashable(x):
    if isinstance(x, list):
        return tuple(_hashable(v) for v in x)
    return x
