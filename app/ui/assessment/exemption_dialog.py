"""Flag a project as exempt from ex-ante assessment (应急救灾 / 上级指定), or clear the flag.

The dialog only collects input; `ask_exemption` is its one entry point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.pre_assessment import Exemption
from app.services.assessment.records import CandidateRow

# How the domain words an exemption: "属应急救灾事项（说明），免于事前绩效评估".
_SHOWN = re.compile(r"属(?P<kind>.+?)事项(?:（(?P<note>.*)）)?，免于事前绩效评估$")


def current_exemption(text: str) -> tuple[Exemption, str]:
    match = _SHOWN.match(text)
    if match is None or match["kind"] not in {e.value for e in Exemption}:
        return Exemption.MANDATED, text
    return Exemption(match["kind"]), match["note"] or ""


@dataclass(frozen=True)
class ExemptionChoice:
    exempt: bool
    kind: Exemption | None
    reason: str


class ExemptionDialog(QDialog):
    def __init__(self, candidate: CandidateRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("免于事前绩效评估")
        self.exempt = QCheckBox("该项目免于事前绩效评估")
        self.kind = QComboBox()
        self.kind.addItems([e.value for e in Exemption])
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("说明理由，如上级文件名称和文号、灾情等")
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #b03c00;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        form.addRow(self.exempt)
        form.addRow("类别", self.kind)
        form.addRow("理由", self.reason)
        layout = QVBoxLayout(self)
        title = QLabel(f"{candidate.project_code}　{candidate.project_name}")
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        if candidate.exempt:
            kind, note = current_exemption(candidate.exemption_text)
            self.exempt.setChecked(True)
            self.kind.setCurrentText(kind.value)
            self.reason.setPlainText(note)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.exempt.toggled.connect(self._on_input_changed)
        self.reason.textChanged.connect(self._on_input_changed)
        self._on_input_changed()

    def choice(self) -> ExemptionChoice:
        if not self.exempt.isChecked():
            return ExemptionChoice(False, None, "")
        kind = Exemption(self.kind.currentText())
        return ExemptionChoice(True, kind, self.reason.toPlainText().strip())

    def _on_input_changed(self, *_args: object) -> None:
        exempt = self.exempt.isChecked()
        self.kind.setEnabled(exempt)
        self.reason.setEnabled(exempt)
        missing = exempt and not self.reason.toPlainText().strip()
        self.hint.setText("请填写免评理由" if missing else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not missing)


def ask_exemption(parent: QWidget | None, candidate: CandidateRow) -> ExemptionChoice | None:
    """The user's choice, or None when cancelled."""
    dialog = ExemptionDialog(candidate, parent)
    try:
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
