"""`make bench`: run every benchmark module of bench/ and write their figures to bench/results.json.

A benchmark module is any module here exposing `main(argv=None) -> dict`; it is found by itself.
Default sizes are moderate (a few minutes in all on two cores); `--full` runs each module with its
own defaults, `--only a,b` picks modules, and `--set module="--flag value"` passes arguments.
"""

import argparse
import importlib
import json
import pkgutil
import platform
import shlex
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
# Not benchmarks: this runner, the load test (`make load`) and shared helpers.
NOT_BENCHMARKS = {"__main__", "load", "locustfile", "synthetic"}
# Moderate sizes for `make bench`; a module not listed runs with its own defaults.
MODERATE = {
    "match_speed": ["--seekers", "20000", "--posts", "5000", "--latency-repeats", "100"],
    "match_quality": ["--queries", "200", "--distractors", "3000"],
    "quota_review": ["--employers", "20000"],
    "scale_out": ["--employers", "10000"],
    "password": ["--repeats", "30"],
}


def discover() -> list[str]:
    names = []
    for module in pkgutil.iter_modules([str(HERE)]):
        if module.name in NOT_BENCHMARKS or module.name.startswith("_"):
            continue
        if callable(getattr(importlib.import_module(f"bench.{module.name}"), "main", None)):
            names.append(module.name)
    return sorted(names)


def ratios(figures, prefix: str = "") -> dict:
    """Every figure whose name mentions a ratio, speed-up or baseline, flattened, for the summary."""
    found = {}
    if isinstance(figures, dict):
        for key, value in figures.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                found.update(ratios(value, f"{name}."))
            elif isinstance(value, int | float) and any(
                word in name.lower()
                for word in ("ratio", "speedup", "baseline", "gain", "vs_", "_x")
            ):
                found[name] = value
    return found


def run_one(name: str, argv: list[str]) -> dict:
    started = time.perf_counter()
    try:
        figures = importlib.import_module(f"bench.{name}").main(argv)
        status = "ok"
    except SystemExit as exc:  # argparse or an explicit exit inside the module
        figures, status = {"error": f"exited with {exc.code}"}, "error"
    except Exception:
        figures, status = {"error": traceback.format_exc(limit=5)}, "error"
    return {
        "status": status,
        "argv": argv,
        "seconds": round(time.perf_counter() - started, 2),
        "figures": figures,
        "ratios": ratios(figures),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated module names")
    parser.add_argument("--full", action="store_true", help="each module's own default sizes")
    parser.add_argument(
        "--set", action="append", default=[], metavar='MODULE="ARGS"', help="arguments per module"
    )
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args(argv)
    names = discover()
    if args.only:
        wanted = set(args.only.split(","))
        names = [n for n in names if n in wanted]
    overrides = dict(item.split("=", 1) for item in args.set)
    results = {}
    for name in names:
        module_argv = [] if args.full else list(MODERATE.get(name, []))
        if name in overrides:
            module_argv = shlex.split(overrides[name])
        print(f"== bench.{name} {' '.join(module_argv)}", flush=True)
        results[name] = run_one(name, module_argv)
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": _cpus(),
            "system": platform.platform(),
        },
        "benchmarks": results,
    }
    Path(args.output).write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    _print_summary(results, args.output)
    return report


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _print_summary(results: dict, output: str) -> None:
    print(f"\nBenchmarks ({output}):")
    for name, result in results.items():
        print(f"  {name:<16} {result['status']:<6} {result['seconds']:>8.1f} s")
        for key, value in result["ratios"].items():
            print(
                f"      {key} = {value:.3g}"
                if isinstance(value, float)
                else f"      {key} = {value}"
            )
        if result["status"] != "ok":
            print("      " + str(result["figures"].get("error", "")).strip().splitlines()[-1])


if __name__ == "__main__":
    report = main()
    failed = [n for n, r in report["benchmarks"].items() if r["status"] != "ok"]
    sys.exit(1 if failed else 0)
