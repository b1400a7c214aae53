"""Imported only by the fork server of the upload workers (worker.py), never by the app itself.

It preloads ingest, so that each worker is forked with pandas and calamine imported already; it
has pyarrow allocate with malloc; and it keeps multiprocessing from running the app's main script
again in every worker (by default a worker imports the parent's `__main__`: under `streamlit run`
that is the streamlit script; a script without a main guard would even start over).
"""

from multiprocessing import spawn

import pyarrow

import ipdata.ingest  # noqa: F401
import ipdata.ingest.worker  # noqa: F401

# pyarrow's default allocator (mimalloc) reserves ~1 GB of address space at its first string
# column: under the worker's RLIMIT_AS that would be most of the budget gone before any work. The
# system allocator reserves only what it uses. Nothing has been allocated in the pool yet here.
pyarrow.set_memory_pool(pyarrow.system_memory_pool())

_prepare = spawn.prepare


def _prepare_without_main(data: dict) -> None:
    _prepare({k: v for k, v in data.items() if not k.startswith("init_main_from")})


spawn.prepare = _prepare_without_main
