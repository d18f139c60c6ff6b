"""The one rule for closing an editing dialog: nothing typed is ever lost.

关闭, Esc and the window's X all end in `QDialog.reject()` (Esc by the dialog's key
handling, X because `QDialog.closeEvent` calls it), so the rule lives there: with unsaved
changes ask 保存 / 不保存 / 取消; without, close at once. A dialog says what "unsaved" and
"save" mean through `is_dirty` and `save_changes`; its 关闭 button calls `reject`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox

from app.ui.widgets.choice import Choice, ask

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class EditingDialog(QDialog):
    #: The question asked; a dialog names what would be lost ("绩效目标有未保存的修改…").
    unsaved_question = "有未保存的修改，关闭前保存吗？"
    #: The 保存 button's label; a dialog whose "save" is an action may name it ("退回").
    save_label = "保存"

    def is_dirty(self) -> bool:
        raise NotImplementedError

    def save_changes(self) -> bool:
        """Save what was typed; False (the dialog stays open) when saving failed."""
        raise NotImplementedError

    def finish_editing(self) -> None:
        """Commit a cell still being typed, so it counts as a change (a no-op by default)."""

    def may_close(self) -> bool:
        """Ask about unsaved changes; True when the dialog may close."""
        self.finish_editing()
        if not self.is_dirty():
            return True
        choices = [
            Choice(SAVE, self.save_label),
            Choice(DISCARD, "不保存", QMessageBox.ButtonRole.DestructiveRole),
            Choice(CANCEL, "取消", QMessageBox.ButtonRole.RejectRole),
        ]
        key = ask(self, "未保存的修改", self.unsaved_question, choices, default=SAVE, escape=CANCEL)
        if key == SAVE:
            return self.save_changes()
        return key == DISCARD

    def reject(self) -> None:
        # A dialog whose save is "accept" (退回, 确定) has already closed with its answer.
        if self.may_close() and self.isVisible():
            super().reject()
