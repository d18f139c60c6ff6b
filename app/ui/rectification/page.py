"""整改 page: the year's ledger with overdue items in red and counted at the top; items are
generated from the year's findings in one action, edited in a dialog, exported to Excel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.rectification import Status
from app.services.rectification import LedgerRow, generate_items, ledger
from app.storage.database import Database
from app.storage.kinds import (
    DEPARTMENT,
    KEY_EVALUATION,
    MONITORING_ENTRY,
    PROJECT,
    RECTIFICATION,
    SELF_EVALUATION,
    SPOT_CHECK_REVIEW,
)
from app.ui.evaluation.lazy import LazyPage, run_guarded
from app.ui.rectification.dialog import RectificationDialog
from app.ui.widgets import import_flow
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.row_table import CENTER, Column, RowTableModel, setup_table
from app.ui.widgets.writes import writes

EMPTY_TEXT = "整改台账为空。点“生成整改事项”从监控红灯、自评不实、中差等级和重点评价中列出问题。"
OVERDUE_BACKGROUND = QColor("#fde0dc")
OVERDUE_STYLE = "color: #c62828; font-weight: bold;"

COLUMNS: tuple[Column[LedgerRow], ...] = (
    Column("单位", lambda r: r.department, sample="县人力资源和社会保障局", tooltip=True),
    Column("来源", lambda r: r.source, align=CENTER, sample="监控红灯"),
    Column("对象", lambda r: r.subject, sample="219001001 农村学生营养改善", tooltip=True),
    Column(
        "发现的问题", lambda r: r.finding, sample="6月绩效监控亮红灯：预算执行偏慢", tooltip=True
    ),
    Column(
        "整改期限", lambda r: r.deadline.isoformat(), lambda r: r.deadline, CENTER, "2026-12-31"
    ),
    Column("状态", lambda r: r.status, align=CENTER, sample="整改中"),
    Column("单位反馈", lambda r: r.reply, sample="已制定整改方案", tooltip=True),
)


class LedgerTableModel(RowTableModel[LedgerRow]):
    def __init__(self, parent: object = None) -> None:
        super().__init__(COLUMNS, parent)

    def row_background(self, row: LedgerRow) -> QColor | None:
        return OVERDUE_BACKGROUND if row.overdue else None

    def row_bold(self, row: LedgerRow) -> bool:
        return row.overdue


class RectificationPage(LazyPage):
    shows = frozenset(
        {
            DEPARTMENT,
            KEY_EVALUATION,
            MONITORING_ENTRY,
            PROJECT,
            RECTIFICATION,
            SELF_EVALUATION,
            SPOT_CHECK_REVIEW,
        }
    )

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.today: Callable[[], date] = date.today  # tests set a fixed day
        self.generate_button = QPushButton("生成整改事项")
        self.edit_button = QPushButton("登记反馈…")
        self.export_button = QPushButton("导出台账（Excel）…")
        writes(self.generate_button, self.edit_button)
        self.overdue_only = QCheckBox("只看逾期")
        self.search = QLineEdit()
        self.counts_label = QLabel(EMPTY_TEXT)
        self.model = LedgerTableModel(self)
        self.table = QTableView()
        self.dialog: RectificationDialog | None = None
        self._build()

    def _build(self) -> None:
        title = QLabel("整改台账")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.search.setPlaceholderText("搜索单位、对象或问题")
        self.search.setClearButtonEnabled(True)
        top = QHBoxLayout()
        for widget in (title, self.generate_button, self.overdue_only):
            top.addWidget(widget)
        top.addWidget(self.search, 1)
        top.addWidget(self.edit_button)
        top.addWidget(self.export_button)
        setup_table(self.table, self.model, stretch=3)
        self.counts_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.table, 1)
        self.generate_button.clicked.connect(self._on_generate_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.overdue_only.toggled.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._on_filter_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)

    # -- loading -------------------------------------------------------------------------
    def load(self) -> bool:
        assert self.year is not None
        book = ledger(self.db, self.year, self.today())
        self.model.set_rows(list(book.rows))
        self._refilter()
        if not book.rows:
            self.counts_label.setText(EMPTY_TEXT)
            self.counts_label.setStyleSheet("")
            return True
        counts = "，".join(f"{s.value}{book.counts[s.value]}项" for s in Status)
        self.counts_label.setText(f"共{len(book.rows)}项：{counts}。")
        self.counts_label.setStyleSheet(OVERDUE_STYLE if book.overdue else "")
        return True

    def clear(self) -> None:
        self.model.set_rows([])
        self.counts_label.setStyleSheet("")
        self.counts_label.setText(EMPTY_TEXT if self.year is not None else "请先选择年度。")

    def _refilter(self) -> None:
        overdue = self.overdue_only.isChecked()
        terms = [t.casefold() for t in self.search.text().split()]

        def keep(row: LedgerRow) -> bool:
            if overdue and not row.overdue:
                return False
            text = f"{row.department}\n{row.subject}\n{row.finding}".casefold()
            return all(t in text for t in terms)

        self.model.set_predicate(keep)

    # -- actions -------------------------------------------------------------------------
    def generate(self) -> bool:
        year, db = self.year, self.db
        if year is None:
            return False
        rules, today = self.rules(), self.today()
        result = run_guarded(
            self, "生成整改事项", lambda _p: generate_items(db, year, rules, today)
        )
        if result is None:
            return False
        self.reload()
        parts = "，".join(f"{k}{v}项" for k, v in result.by_source.items() if v)
        added = f"新增{result.added}项（{parts}）" if result.added else "没有新的整改事项"
        show_info(self, "生成整改事项", f"{added}；已在台账中的{result.already}项保持不变。")
        return True

    def open_dialog(self, row: LedgerRow | None) -> RectificationDialog | None:
        if row is None:
            show_error(self, "请先在列表中选择一个整改事项。")
            return None
        self.dialog = RectificationDialog(self.db, row, self.today, self)
        self.dialog.item_saved.connect(self._on_dialog_item_saved)
        self.dialog.show()
        return self.dialog

    def export_to(self, path: Path) -> int | None:
        from app.services.rectification.workbook import export_ledger  # openpyxl: load on use

        year, db, today = self.year, self.db, self.today()
        if year is None:
            return None
        return run_guarded(self, "导出整改台账", lambda _p: export_ledger(db, year, path, today))

    def selected(self) -> LedgerRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    # -- slots ---------------------------------------------------------------------------
    def _on_generate_button_clicked(self) -> None:
        self.generate()

    def _on_edit_button_clicked(self) -> None:
        self.open_dialog(self.selected())

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.open_dialog(self.model.row_at(index.row()))

    def _on_export_button_clicked(self) -> None:
        if self.year is None:
            return
        name = import_flow.safe_file_name("整改台账", self.year)
        path = import_flow.choose_save_path(self, "导出整改台账", name)
        if path is not None and self.export_to(path) is not None:
            show_info(self, "导出整改台账", f"已导出：{path}")

    def _on_filter_changed(self, *_args: object) -> None:
        self._refilter()

    def _on_dialog_item_saved(self, _item_id: int) -> None:
        self.reload()
