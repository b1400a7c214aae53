"""Child process for the concurrency tests: one importer or one reader on a shared store file.

    python tests/concurrency_child.py import DB SALT      -> {"rev": 1} or {"busy": message}
    python tests/concurrency_child.py read DB N           -> {"reads": [digest, ...]} or {"busy": ...}

Both wait for a line on stdin before starting, so that the parent can release them together.
Stores use the default busy timeout: what the CLI and the dashboard use.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

N_ROWS = 2000


def digest(frame) -> str:
    """A fingerprint of a values frame (rows in key order, revision ids included)."""
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()[:16]


def payload(plan, salt: int):
    from crash_child import big_upload

    return big_upload(plan, N_ROWS, salt=salt)


def main() -> None:
    from store_helpers import plan

    from ipdata.errors import StoreBusyError
    from ipdata.store import Store

    mode, db = sys.argv[1], sys.argv[2]
    upload = payload(plan(), int(sys.argv[3])) if mode == "import" else None
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        store = Store(db, plan())
        if mode == "import":
            result = {"rev": store.apply(upload, user=f"p{sys.argv[3]}").revision_id}
        else:
            result = {"reads": [digest(store.values()) for _ in range(int(sys.argv[3]))]}
    except StoreBusyError as exc:
        result = {"busy": exc.user_text()}
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
