"""The hydrology example's training windows artefact (camels/training_windows), read in Python.

The TypeScript side writes it with encodeBinary (src/binary.ts): "WEIR", a JSON header whose
typed arrays are references {"$typed", "offset", "length"} to little-endian bytes after it,
each 8-byte aligned; and stores each basin's daily feature rows once instead of every window
(src/camels/windows-codec.ts). read_windows() rebuilds the windows as decodeWindows() does.
Standard library and numpy only.
"""

import json

import numpy as np

DAY_MS = 86_400_000
MAGIC = 0x57454952  # "WEIR"
TYPES = {
    "Float64Array": np.float64,
    "Float32Array": np.float32,
    "Uint32Array": np.uint32,
    "Uint16Array": np.uint16,
    "Uint8Array": np.uint8,
}
SPLITS = ("train", "validation", "test")



def decode_binary(data):
    """A value encodeBinary() wrote: a JSON header whose typed arrays are references to the
    8-byte-aligned bytes after it."""
    if len(data) < 8 or int.from_bytes(data[0:4], "little") != MAGIC:
        raise ValueError("not a Weir binary value (the artefact was written by something else)")
    length = int.from_bytes(data[4:8], "little")
    start = (8 + length + 7) // 8 * 8

    def typed(value):
        if isinstance(value, dict) and "$typed" in value:
            dtype = np.dtype(TYPES[value["$typed"]]).newbyteorder("<")
            return np.frombuffer(
                data, dtype=dtype, count=value["length"], offset=start + value["offset"]
            )
        return value

    return json.loads(data[8 : 8 + length].decode("utf-8"), object_hook=typed)


def read_windows(path):
    """The sample set: per split x [count, steps, features] (float32), y (float32, NaN where
    the target is masked), basin (indices into "basins"), date (epoch ms) and count; and
    basins, featureNames, basinStd, target {mean, std, unit}."""
    with open(path, "rb") as f:
        encoded = decode_binary(f.read())
    daily = encoded["daily"]
    out = {
        "basins": encoded["basins"],
        "featureNames": encoded["featureNames"],
        "basinStd": np.asarray(encoded["basinStd"], dtype=np.float32),
        "target": encoded["target"],
    }
    for split in SPLITS:
        s = encoded[split]
        count, steps, features = s["count"], s["steps"], s["features"]
        x = np.empty((count, steps, features), dtype=np.float32)
        for i in range(count):
            basin = daily[int(s["basin"][i])]
            rows = basin["rows"].reshape(-1, features)
            first = int(s["date"][i]) // DAY_MS - steps + 1 - basin["firstDay"]
            x[i] = rows[first : first + steps]
        out[split] = {
            "x": x,
            "y": np.asarray(s["y"], dtype=np.float32),
            "basin": np.asarray(s["basin"], dtype=np.int64),
            "date": np.asarray(s["date"], dtype=np.float64),
            "count": count,
        }
    return out
