"""Who is working, asked once per computer account and then remembered (preferences), so
审核人 / 复核人 / 抽取人 print a person's name and never the OS login such as `root`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.setup import operator
from app.services.setup.county import county_names
from app.storage.database import Database
from app.ui import preferences
from app.ui.widgets.messages import show_error


class OperatorDialog(QDialog):
    """An editable list of the names used before in this database."""

    def __init__(self, known: list[str], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("操作人员")
        self.name_combo = QComboBox()
        self.name_combo.setEditable(True)
        self.name_combo.addItems(known)
        self.name_combo.setCurrentText(current)
        line = self.name_combo.lineEdit()
        assert line is not None  # editable combo
        line.setPlaceholderText("例如：张三")
        line.setMaxLength(operator.MAX_NAME)
        self.name_combo.setMinimumWidth(260)
        note = QLabel(
            "请填写您的姓名。审核通过、退回、抽查复核等记录和打印的表格将署这个名字；"
            "本机会记住，下次不再询问（可在“文件 → 更换操作人员”中更改）。"
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("暂不填写")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.name_combo)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def name(self) -> str:
        return self.name_combo.currentText()


def _ask(parent: QWidget | None, known: list[str], current: str) -> str | None:
    """The name typed, or None when the user chose 暂不填写 (tests replace this)."""
    dialog = OperatorDialog(known, current, parent)
    return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_at_start(parent: QWidget | None, db: Database) -> str:
    """The remembered name, else ask; "" when nobody was named (records say 未署名).
    Someone just looking at the demo is not asked."""
    remembered = preferences.remembered_operator()
    if remembered:
        return operator.start_working_as(db, remembered)
    if county_names(db).demo:
        return ""
    return ask_again(parent, db)


def ask_again(parent: QWidget | None, db: Database) -> str:
    with db.session() as session:
        known = operator.known_operators(session)
    while True:
        answer = _ask(parent, known, operator.chosen() or preferences.remembered_operator())
        if answer is None:
            return operator.chosen()
        try:
            name = operator.start_working_as(db, answer)
        except UserError as exc:
            show_error(parent, exc)
            continue
        preferences.remember_operator(name)
        return name
