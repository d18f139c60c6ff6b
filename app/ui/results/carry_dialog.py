"""下年度调减: the confirmed cuts carried into next year's projects, each with its reason;
carry (again) or undo one while next year's goal is not approved. Every action saves at
once, so closing never loses work."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.numbers import wan
from app.services.results.carry import CarriedRow, carried_cuts, carry_cuts, revert_cut
from app.storage.database import Database
from app.ui.widgets.confirm import ask
from app.ui.widgets.messages import show_error
from app.ui.widgets.row_table import CENTER, RIGHT, Column, RowTableModel, setup_table
from app.ui.widgets.writes import writes

COLUMNS: tuple[Column[CarriedRow], ...] = (
    Column("项目编码", lambda r: r.project_code, sample="219001001001"),
    Column("项目名称", lambda r: r.project_name, sample="学生营养改善计划", tooltip=True),
    Column("单位", lambda r: r.department, sample="县教育局"),
    Column("调减前", lambda r: wan(r.before), lambda r: r.before, RIGHT, "9,999.99"),
    Column("调减", lambda r: wan(r.cut), lambda r: r.cut, RIGHT, "9,999.99"),
    Column("调减后", lambda r: wan(r.after), lambda r: r.after, RIGHT, "9,999.99"),
    Column("可撤销", lambda r: "是" if r.reversible else "否（目标已通过）", align=CENTER),
    Column("理由", lambda r: r.reason, sample="调减5.00万元：绩效自评等级为“差”", tooltip=True),
)


class CarriedTableModel(RowTableModel[CarriedRow]):
    def __init__(self, parent: object = None) -> None:
        super().__init__(COLUMNS, parent)


class CarryDialog(QDialog):
    def __init__(self, db: Database, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._year = db, year
        self.setWindowTitle(f"{year}年调减计入{year + 1}年")
        self.resize(1000, 520)
        self.carry_button = QPushButton("计入已确定的调减")
        self.revert_button = QPushButton("撤销所选调减")
        self.close_button = QPushButton("关闭")
        writes(self.carry_button, self.revert_button)
        self.message = QLabel()
        self.model = CarriedTableModel(self)
        self.table = QTableView()
        setup_table(self.table, self.model, stretch=7)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.carry_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.carry_button.clicked.connect(self.carry)
        self.revert_button.clicked.connect(self.revert_selected)
        self.close_button.clicked.connect(self.accept)
        self._reload()

    def _reload(self) -> None:
        self.model.set_rows(carried_cuts(self._db, self._year))

    def carry(self) -> bool:
        try:
            r = carry_cuts(self._db, self._year)
        except UserError as exc:
            show_error(self, exc)
            return False
        self._reload()
        self.message.setText(
            f"本次计入调减{len(r.carried)}项，未变{r.unchanged}项；{self._year + 1}年尚无对应项目"
            f"{len(r.waiting)}项（请先做年度结转）；下年度目标已通过、不再调整{len(r.locked)}项。"
        )
        return True

    def revert_selected(self) -> bool:
        index = self.table.currentIndex()
        if not index.isValid():
            show_error(self, "请先选择要撤销的调减。")
            return False
        row = self.model.row_at(index.row())
        if not ask(
            self,
            "撤销调减",
            f"撤销项目“{row.project_code}”的调减，恢复为{wan(row.before)}万元？",
            "撤销",
        ):
            return False
        try:
            revert_cut(self._db, row.id)
        except UserError as exc:
            show_error(self, exc)
            return False
        self._reload()
        self.message.setText(f"已撤销项目“{row.project_code}”的调减。")
        return True
