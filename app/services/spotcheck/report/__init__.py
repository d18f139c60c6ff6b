"""抽查复核 documents: 复核底稿, 审核意见, 抽查复核审核意见 summary, shared findings."""
