"""设置 → 回收站: deleted projects and goals, restored one by one or removed for good."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.common.recycle_bin import (
    DeletedItem,
    empty_recycle_bin,
    list_deleted,
    restore_item,
)
from app.storage.database import Database
from app.ui.widgets.choice import confirm
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.row_table import Column, RowTableModel, fit_columns
from app.ui.widgets.writes import writes

DELETED_COLUMNS: list[Column[DeletedItem]] = [
    Column("类型", lambda i: i.kind_label),
    Column("年度", lambda i: str(i.year)),
    Column("编码", lambda i: i.code),
    Column("名称", lambda i: i.name),
    Column("预算单位", lambda i: i.department),
    Column("删除时间", lambda i: i.deleted_at.strftime("%Y-%m-%d %H:%M")),
]
COL_NAME = 3
DELETED_SAMPLES = [
    "绩效目标",
    "2025",
    "219001202500001",
    "",
    "县人力资源和社会保障局",
    "2025-05-01 09:00",
]
DELETED_SAMPLES = [
    "绩效目标",
    "2025",
    "219001202500001",
    "",
    "县人力资源和社会保障局",
    "2025-05-01 09:00",
]


class RecycleBinTab(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.model: RowTableModel[DeletedItem] = RowTableModel(DELETED_COLUMNS, self)
        self.table = QTableView()
        self.count_label = QLabel()
        self.restore_button = QPushButton("恢复")
        self.empty_button = QPushButton("清空回收站…")
        writes(self.restore_button, self.empty_button)
        self._build()

    def _build(self) -> None:
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        fit_columns(self.table, DELETED_SAMPLES, COL_NAME)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.restore_button)
        top.addWidget(self.empty_button)
        note = QLabel(
            "删除的项目和绩效目标先放在回收站，可以恢复。清空回收站会彻底删除它们"
            "（连同监控、自评等记录），清空前程序会自动备份。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.empty_button.clicked.connect(self._on_empty_button_clicked)

    def set_database(self, db: Database) -> None:
        self._db = db

    def reload(self) -> None:
        items = list_deleted(self._db)
        self.model.set_rows(items)
        projects = sum(1 for i in items if i.kind == "project")
        self.count_label.setText(
            f"回收站中有 {len(items)} 项（项目 {projects} 个，绩效目标 {len(items) - projects} 个）"
        )
        writable = not self._db.read_only
        self.restore_button.setEnabled(writable and bool(items))
        self.empty_button.setEnabled(writable and bool(items))

    def selected_items(self) -> list[DeletedItem]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.row_at(r) for r in rows]

    def _on_restore_button_clicked(self) -> None:
        items = self.selected_items()
        if not items:
            show_error(self, "请先在列表中选择要恢复的项目或绩效目标。")
            return
        try:
            for item in items:
                restore_item(self._db, item.kind, item.id)
        except UserError as exc:
            show_error(self, exc)
        finally:
            self.reload()

    def _on_empty_button_clicked(self) -> None:
        count = self.model.rowCount()
        if not confirm(
            self,
            "清空回收站",
            f"彻底删除回收站中的 {count} 项？",
            "清空回收站",
            "删除后不能在程序中恢复（清空前会自动备份，可从“备份”中恢复整个数据库）。",
        ):
            return
        try:
            result = empty_recycle_bin(self._db)
        except UserError as exc:
            show_error(self, exc)
            return
        finally:
            self.reload()
        show_info(
            self,
            "已清空回收站",
            f"已彻底删除项目 {result.projects} 个、绩效目标 {result.goals} 个。\n"
            f"清空前的数据已备份为：{result.backup_path.name}",
        )
