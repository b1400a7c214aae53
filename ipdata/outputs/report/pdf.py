"""The report's PDF through LibreOffice (`soffice --headless --convert-to pdf`), where installed.

Each conversion gets a profile directory of its own: two conversions sharing LibreOffice's
default profile fail (the second finds it locked) and a server's user may have no home.

A server rarely has the 公文 faces (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312, 黑体): fontconfig then
gives every one of them the same sans face, and the PDF's body, headings and title look alike.
The conversion runs with a fontconfig file of its own (the system's plus `accept` aliases): a
missing serif face (宋, 仿宋, 楷) is drawn in a serif CJK face, 黑体 in a sans one, and an installed
公文 face still wins.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from ipdata.errors import IpdataError
from ipdata.outputs.fonts import (
    GONGWEN_FALLBACKS,
    GONGWEN_SANS,
    SANS_SUBSTITUTES,
    SERIF_SUBSTITUTES,
)

PDF_TIMEOUT = 180  # seconds, a cold start included
INSTALL_HINT = "以 root 运行 `make sysdeps`，或执行：apt-get install -y libreoffice-writer-nogui"
NO_SOFFICE = "未安装 LibreOffice（找不到 soffice），只生成了 Word 文件，未生成 PDF。"


def soffice() -> str | None:
    """LibreOffice's command, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, outdir: Path | None = None) -> Path:
    """`docx` converted to PDF in `outdir` (default: beside it); IpdataError when LibreOffice is
    missing, fails or times out."""
    command = soffice()
    if command is None:
        raise IpdataError(NO_SOFFICE, hint=INSTALL_HINT)
    outdir = outdir or docx.parent
    with tempfile.TemporaryDirectory(prefix="ipdata-soffice-") as profile:
        cmd = [command, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), str(docx)]
        conf = Path(profile) / "fonts.conf"
        conf.write_text(fontconfig(), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=PDF_TIMEOUT, check=False, env=env)
        except subprocess.TimeoutExpired as exc:
            raise IpdataError(f"LibreOffice 转换 PDF 超时（{PDF_TIMEOUT} 秒），未生成 PDF。",
                              hint="Word 文件已生成；稍后重试，或在 WPS/Word 中另存为 PDF。") from exc
    pdf = outdir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"退出码 {done.returncode}"]
        raise IpdataError(f"LibreOffice 转换 PDF 失败（{detail[0]}），未生成 PDF。",
                          hint="Word 文件已生成；可在 WPS/Word 中另存为 PDF。")
    return pdf


def fontconfig(system: str = "/etc/fonts/fonts.conf") -> str:
    """The system's fontconfig file plus, for each 公文 face and its Windows fallback, the CJK faces
    of its kind to accept where it is missing (`accept`: after the face itself, never before)."""
    names = dict.fromkeys([*GONGWEN_FALLBACKS, *GONGWEN_FALLBACKS.values()])
    aliases = []
    for name in names:
        faces = SANS_SUBSTITUTES if name in GONGWEN_SANS else SERIF_SUBSTITUTES
        accept = "".join(f"<family>{escape(f)}</family>" for f in faces)
        aliases.append(f'  <alias binding="same"><family>{escape(name)}</family><accept>{accept}</accept></alias>')
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{escape(system)}</include>\n' + "\n".join(aliases) + "\n</fontconfig>\n")
