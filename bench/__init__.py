"""Benchmarks at 100x the district's real size, each against a naive baseline run in the same
process. Run `python -m bench` (full size) or `python -m bench --size small` (CI smoke).

Modules: synthetic.py (deterministic data), baselines.py (the naive ways), timing.py (median of
runs), memory.py (peak RSS of an import in a fresh process), pages.py (AppTest reruns),
export.py (deck and PNG, when the export engineer's modules exist), run.py (the command).
"""
