"""Goal documents: 项目/部门整体支出绩效目标表 and the goal book (data first, then the document)."""
