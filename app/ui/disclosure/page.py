"""公开 page: one action writes every unit's pack (goal tables with the budget, self-evaluation
tables with the final accounts) as PDF and Word plus an index, with progress and cancel; the
table lists what was published and when."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.disclosure import (
    DisclosurePack,
    DisclosureRow,
    build_disclosure_pack,
    disclosure_records,
)
from app.storage.database import Database
from app.storage.kinds import DEPARTMENT, DISCLOSURE, GOAL, SELF_EVALUATION
from app.ui.evaluation.lazy import LazyPage, run_guarded
from app.ui.widgets.messages import show_info
from app.ui.widgets.row_table import CENTER, RIGHT, Column, RowTableModel, setup_table
from app.ui.widgets.writes import writes

EMPTY_TEXT = "本年度尚未生成公开材料。点“生成公开材料”为全部单位生成 PDF 和 Word 文件。"

COLUMNS: tuple[Column[DisclosureRow], ...] = (
    Column("单位编码", lambda r: r.department_code, sample="219001"),
    Column("单位名称", lambda r: r.department, sample="县人力资源和社会保障局", tooltip=True),
    Column("生成时间", lambda r: f"{r.published_at:%Y-%m-%d %H:%M}", lambda r: r.published_at,
           CENTER, "2026-03-01 10:00"),
    Column("操作人", lambda r: r.actor, sample="示例县财政局绩效股"),
    Column("目标表", lambda r: str(r.goal_tables), lambda r: r.goal_tables, RIGHT, "目标表"),
    Column("自评表", lambda r: str(r.evaluation_tables), lambda r: r.evaluation_tables, RIGHT,
           "自评表"),
    Column("文件", lambda r: r.file_name, sample="219001_县教育局_2025年绩效信息公开.pdf"),
)  # fmt: skip


class DisclosureTableModel(RowTableModel[DisclosureRow]):
    def __init__(self, parent: object = None) -> None:
        super().__init__(COLUMNS, parent)


class DisclosurePage(LazyPage):
    shows = frozenset({DEPARTMENT, DISCLOSURE, GOAL, SELF_EVALUATION})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.pack_button = QPushButton("生成公开材料…")
        writes(self.pack_button)
        self.summary_label = QLabel(EMPTY_TEXT)
        self.model = DisclosureTableModel(self)
        self.table = QTableView()
        self._last_dir = Path.home()
        title = QLabel("绩效信息公开")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.pack_button)
        setup_table(self.table, self.model, stretch=6)
        self.summary_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        self.pack_button.clicked.connect(self._on_pack_button_clicked)

    def load(self) -> bool:
        assert self.year is not None
        rows = disclosure_records(self.db, self.year)
        self.model.set_rows(rows)
        if not rows:
            self.summary_label.setText(EMPTY_TEXT)
        else:
            latest = rows[0].published_at
            units = len({r.department_code for r in rows if r.published_at == latest})
            self.summary_label.setText(
                f"最近一次于{latest:%Y-%m-%d %H:%M}为{units}个单位生成公开材料；"
                f"共{len(rows)}条记录。"
            )
        return True

    def clear(self) -> None:
        self.model.set_rows([])
        self.summary_label.setText(EMPTY_TEXT if self.year is not None else "请先选择年度。")

    def build_pack(self, folder: Path) -> DisclosurePack | None:
        """Write every unit's pack into `folder` (progress and cancel); None if it failed."""
        year, db = self.year, self.db
        if year is None:
            return None
        rules = self.rules()
        pack = run_guarded(
            self, "生成公开材料", lambda p: build_disclosure_pack(db, year, folder, rules, p)
        )
        if pack is None:
            return None
        self.reload()
        show_info(
            self, "生成公开材料",
            f"已为{len(pack.units)}个单位生成公开材料（{pack.skipped}个单位无可公开内容）：\n"
            f"{pack.folder}",
        )  # fmt: skip
        return pack

    def _on_pack_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "选择保存公开材料的文件夹", str(self._last_dir)
        )
        if folder:
            self._last_dir = Path(folder)
            self.build_pack(Path(folder))
