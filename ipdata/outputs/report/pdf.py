"""The report's PDF through LibreOffice (`soffice --headless --convert-to pdf`), where installed.

Each conversion gets a profile directory of its own: two conversions sharing LibreOffice's
default profile fail (the second finds it locked) and a server's user may have no home.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ipdata.errors import IpdataError

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
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=PDF_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise IpdataError(f"LibreOffice 转换 PDF 超时（{PDF_TIMEOUT} 秒），未生成 PDF。",
                              hint="Word 文件已生成；稍后重试，或在 WPS/Word 中另存为 PDF。") from exc
    pdf = outdir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"退出码 {done.returncode}"]
        raise IpdataError(f"LibreOffice 转换 PDF 失败（{detail[0]}），未生成 PDF。",
                          hint="Word 文件已生成；可在 WPS/Word 中另存为 PDF。")
    return pdf
