"""The one rule for leaving an editor: nothing typed is ever lost.

关闭, Esc and the window's X all end in `QDialog.reject()` (Esc by the dialog's key
handling, X because `QDialog.closeEvent` calls it), so the rule lives there: with unsaved
changes ask 保存 / 不保存 / 取消; without, close at once. A dialog says what "unsaved" and
"save" mean through `is_dirty` and `save_changes`; its 关闭 button calls `reject`. A form
inside a page (事前评估) asks the same question through `ask_unsaved` when its record is
about to be replaced.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.ui.widgets.choice import Choice, ask

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved(parent: QWidget | None, question: str, save_label: str = "保存") -> str:
    """保存 / 不保存 / 取消: SAVE, DISCARD or CANCEL (also when the box is just closed)."""
    choices = [
        Choice(SAVE, save_label),
        Choice(DISCARD, "不保存", QMessageBox.ButtonRole.DestructiveRole),
        Choice(CANCEL, "取消", QMessageBox.ButtonRole.RejectRole),
    ]
    return ask(parent, "未保存的修改", question, choices, default=SAVE, escape=CANCEL)


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
