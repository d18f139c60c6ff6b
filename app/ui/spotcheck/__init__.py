"""抽查复核 page and the reviewer's dialog."""
