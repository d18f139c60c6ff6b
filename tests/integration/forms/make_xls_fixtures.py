"""Regenerate the committed .xls fixtures: LibreOffice converts generated .xlsx files.

Run from the repository root: python tests/integration/forms/make_xls_fixtures.py
(xlwt is unmaintained, so .xls files are produced by `soffice --headless --convert-to xls`.)
"""

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, ".")
from tests.fixtures_forms import Form, write_xlsx

OUT = Path("tests/integration/forms/data")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        # A provincial-system export: two self-evaluations in one sheet, amounts in 元.
        first = Form(money=("1000000", "1000000", "950000"), money_header="项目资金（元）")
        second = Form(
            project="农村义务教育学生营养改善计划",
            money=("2,000,000", "2,000,000", "2,000,000"),
            money_header="项目资金（元）",
            execution_score="10",
            claimed_total="100",
        )
        write_xlsx(tmp / "yunnan_selfeval.xlsx", [[first, second]], row0=1)
        write_xlsx(tmp / "department_goal.xlsx", [[Form(kind="department_goal")]])
        for path in tmp.glob("*.xlsx"):
            command = ["soffice", "--headless", "--convert-to", "xls", str(path), "--outdir"]
            subprocess.run([*command, str(OUT)], check=True, capture_output=True)


if __name__ == "__main__":
    main()
