"""Zip members inflated with a cap on the bytes that actually come out.

A workbook's zip states each member's size, but nothing makes that true: a member whose headers
understate it inflates to gigabytes in a reader that trusts them (calamine did: 2.2 GB from a small
file). Every member is inflated here from its own local header, counting what comes out and
stopping at the cap, before any reader opens the file; a member bigger than it says refuses the
file. Members wanted by the side scans are kept, so that the XML is inflated once.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable

from ipdata.errors import Problem
from ipdata.ingest import limits

_LOCAL = struct.Struct("<4s22xHH")  # signature, (version … sizes), name length, extra length
_LOCAL_SIGNATURE = b"PK\x03\x04"
_STORED, _DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
MAX_PACKING_RATIO = 100  # LibreOffice's verbose XML packs up to ~60:1; a zip bomb 100-1000:1
BOMB_FLOOR = 32 * 2**20  # below this, any ratio is harmless
MAX_MEMBERS = 10_000  # a workbook has tens of parts; the central directory is read before this check
_STEP = 4 * 2**20  # inflate in steps, so the cap is checked as bytes come out
_SLICE = 256 * 1024


def _corrupt() -> Problem:
    return Problem("unreadable-file", "文件已损坏或不完整，无法作为工作簿打开。请用 Excel、WPS 或 LibreOffice 打开后"
                   "“另存为” Excel 工作簿(.xlsx)，再重新上传。")


def unpack(data: bytes, zf: zipfile.ZipFile, cap: int,
           keep: Callable[[str], bool]) -> tuple[dict[str, bytes], Problem | None]:
    """({name: inflated bytes} for the members `keep` wants, None), or ({}, problem).

    All members count towards `cap`, whatever they claim; a member that inflates to more than it
    declares is refused (readers differ in which size they believe)."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        return {}, _corrupt()
    declared = sum(i.file_size for i in infos)
    if declared > cap or declared > BOMB_FLOOR and declared > MAX_PACKING_RATIO * len(data):
        return {}, limits.unpacked_too_large(declared, len(data), cap)  # an honest bomb, on its own word
    budget = cap
    kept: dict[str, bytes] = {}
    view = memoryview(data)
    for info in infos:
        if info.is_dir():
            continue
        if info.flag_bits & 0x1 or info.compress_type not in (_STORED, _DEFLATED):
            return {}, _corrupt()  # encrypted or a method no spreadsheet program writes
        start = _data_start(data, info.header_offset)
        if start is None:
            return {}, _corrupt()
        parts: list[bytes] | None = [] if keep(info.filename) else None
        if info.compress_type == _STORED:
            size = info.compress_size
            if start + size > len(data):
                return {}, _corrupt()
            if parts is not None:
                parts.append(bytes(view[start:start + size]))
        else:
            size = _inflate(view, start, budget, parts)
            if size is None:
                return {}, _corrupt()
        if size > info.file_size:
            return {}, limits.sizes_misstated(info.filename)
        budget -= size
        if budget < 0:
            return {}, limits.unpacked_too_large(cap - budget, len(data), cap)
        if parts is not None:
            kept[info.filename] = b"".join(parts)
    unpacked = cap - budget
    if unpacked > BOMB_FLOOR and unpacked > MAX_PACKING_RATIO * len(data):
        return {}, limits.unpacked_too_large(unpacked, len(data), cap)
    return kept, None


def _data_start(data: bytes, offset: int) -> int | None:
    if offset < 0 or offset + _LOCAL.size > len(data):
        return None
    signature, name_len, extra_len = _LOCAL.unpack_from(data, offset)
    return offset + _LOCAL.size + name_len + extra_len if signature == _LOCAL_SIGNATURE else None


def _inflate(data: memoryview, start: int, budget: int, parts: list[bytes] | None) -> int | None:
    """Bytes the raw deflate stream at `start` inflates to, stopping just past `budget`; None if
    it is broken. The stream is read to its own end, not to the size the headers give; input goes
    in small slices so that what zlib keeps aside (unconsumed or unused input) stays small."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size, pos = 0, start
    try:
        while not inflater.eof and size <= budget:
            pending: bytes | memoryview = data[pos:pos + _SLICE]
            if not pending:
                return None  # the file ends inside the stream
            pos += len(pending)
            while pending and not inflater.eof and size <= budget:
                out = inflater.decompress(pending, min(_STEP, budget - size + 1))
                size += len(out)
                if parts is not None:
                    parts.append(out)
                pending = inflater.unconsumed_tail
    except zlib.error:
        return None
    return size
