"""Cost of one password check: argon2-cffi's old default (t=3, 64 MiB, p=4) against the configured
default (OWASP's m=19 MiB, t=2, p=1), measured in the same run, in wall and CPU time.

The CPU time matters most on a web node: each login holds a gunicorn worker (and, with p=4, up to
four cores' worth of argon2 lanes) for the whole verify.

    python -m bench.password [--repeats 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from argon2 import PasswordHasher

OLD = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}


def _measure(hasher: PasswordHasher, repeats: int) -> dict:
    stored = hasher.hash("Correct-horse-2026")
    hasher.verify(stored, "Correct-horse-2026")  # warm up
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        hasher.verify(stored, "Correct-horse-2026")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "wall_ms_p50": round(statistics.median(walls) * 1000, 2),
        "cpu_ms_p50": round(statistics.median(cpus) * 1000, 2),
    }


def main(argv=None) -> dict:
    from core.auth import DEFAULT_ARGON2

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(argv)
    old_hasher, new_hasher = PasswordHasher(**OLD), PasswordHasher(**DEFAULT_ARGON2)
    # Interleave the two so that a busy neighbour weighs on both alike.
    old, new = {"wall": [], "cpu": []}, {"wall": [], "cpu": []}
    for _ in range(3):
        for figures, hasher in ((old, old_hasher), (new, new_hasher)):
            one = _measure(hasher, max(1, args.repeats // 3))
            figures["wall"].append(one["wall_ms_p50"])
            figures["cpu"].append(one["cpu_ms_p50"])
    result = {
        "old_parameters": OLD,
        "new_parameters": DEFAULT_ARGON2,
        "old_verify_wall_ms": statistics.median(old["wall"]),
        "old_verify_cpu_ms": statistics.median(old["cpu"]),
        "new_verify_wall_ms": statistics.median(new["wall"]),
        "new_verify_cpu_ms": statistics.median(new["cpu"]),
    }
    result["new_vs_old_wall_ratio"] = round(
        result["new_verify_wall_ms"] / result["old_verify_wall_ms"], 3
    )
    result["new_vs_old_cpu_ratio"] = round(
        result["new_verify_cpu_ms"] / result["old_verify_cpu_ms"], 3
    )
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
