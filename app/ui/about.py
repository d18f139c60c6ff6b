"""关于 dialog: version, database, schema revision, the folders and the report fonts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app import APP_NAME, __version__, paths
from app.services.common.info import database_info
from app.services.common.settings import report_fonts
from app.storage.database import Database


class AboutDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"关于{APP_NAME}")
        self.setMinimumWidth(560)
        info = database_info(db)
        self.fields = {
            "版本": __version__,
            "数据库文件": info.path,
            "数据库结构版本": info.schema_revision or "（未知）",
            "数据文件夹": str(paths.data_dir()),
            "日志文件夹": str(paths.log_dir()),
            "报告字体": "\n".join(report_fonts()) or "（未找到中文字体）",
        }
        title = QLabel(f"{APP_NAME}（县级财政）")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        form = QFormLayout()
        for label, value in self.fields.items():
            field = QLabel(value)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setWordWrap(True)
            form.addRow(f"{label}：", field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)


def show_about(db: Database, parent: QWidget | None = None) -> None:
    AboutDialog(db, parent).exec()
