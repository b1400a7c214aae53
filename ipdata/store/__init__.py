"""DuckDB store: append-only revisions of uploaded values, targets and task progress, for every
plan the file holds.

Each apply or rollback is one transaction that writes one `revisions` row plus only the rows
that changed; the current state is, per key, the row with the highest revision. See `Store`.
"""

from ipdata.store.changes import ApplyResult, Changes
from ipdata.store.registry import PlanRow
from ipdata.store.schema import SCHEMA_VERSION
from ipdata.store.store import Store, stored_plans

__all__ = ["ApplyResult", "Changes", "PlanRow", "SCHEMA_VERSION", "Store", "stored_plans"]
