"""How libreoffice_roster.xlsx was made (run once; the result is committed):

    .venv/bin/python tests/unit/roster/data/make_libreoffice_fixture.py

openpyxl writes a roster the way a 居委 keeps it (a title row merged across the top,
the compound and building merged down their blocks, phones and rooms as numbers,
one phone cut to 1.38E+10 as text), then LibreOffice re-saves it:
`soffice --headless --convert-to xlsx --outdir OUT source.xlsx`. LibreOffice writes
its own dialect (shared strings, dimensions, covered cells of merges, number cells).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = ["小区", "楼栋", "单元", "房号", "姓名", "手机号", "面积（㎡）", "人数", "备注"]
ROWS = [
    ["临沂二村", 7, 1, 101, "周建华", 13912345601, 55.2, 2, None],
    [None, None, 1, 102, "吴秀英", 13912345602, 55.2, 1, "独居"],
    [None, None, 1, 201, "郑国强", 13912345603, 61.8, 3, None],
    [None, None, 2, 601, "冯丽", "1.39E+10", 61.8, 2, None],
    ["临沂二村", 8, 1, 101, "陈美玲", 13912345605, 70, 4, None],
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source" / "libreoffice_roster.xlsx"
        source.parent.mkdir()
        wb = Workbook()
        ws = wb.active
        ws.title = "住户"
        ws.append(["临沂二村住户花名册（2023年12月）"])
        ws.merge_cells("A1:I1")
        ws.append(HEADER)
        for row in ROWS:
            ws.append(row)
        ws.merge_cells("A3:A6")  # 临沂二村, rows 3-6
        ws.merge_cells("B3:B6")  # building 7, rows 3-6
        wb.save(source)
        out = Path(tmp) / "out"
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(source)],
            check=True,
            capture_output=True,
        )
        shutil.copy(out / source.name, HERE / source.name)


if __name__ == "__main__":
    main()
