"""Writes errors-hidden-percent.{xlsx,xls,ods} with LibreOffice Calc (run by hand; CI needs no LibreOffice).

    .venv/bin/python tests/data/sidecar/make.py

openpyxl writes a small source workbook (formulas =1/0 and =NA() without results, 0.008 formatted
0.0%, a hidden row and a hidden column); LibreOffice opens it headless, computes the formulas and
saves it in each format, as a statistician's Calc or WPS would.
"""

import subprocess
import tempfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "errors-hidden-percent.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "数据"
        ws.append(["指标名称", "单位", "2023年", "2024年"])
        ws.append(["案件结案率", "%", "=1/0", 0.008])
        ws.append(["新增贯标单位", "家", 5, "=NA()"])
        ws.append(["隐藏", "家", 6, 7])
        ws["D2"].number_format = "0.0%"
        ws.row_dimensions[4].hidden = True
        ws.column_dimensions["C"].hidden = True
        wb.save(source)
        for fmt in ("xlsx", "xls", "ods"):
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                            fmt, "--outdir", str(HERE), str(source)], check=True, capture_output=True, timeout=180)


if __name__ == "__main__":
    main()
