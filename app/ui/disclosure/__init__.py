"""公开 page: the per-unit disclosure pack and what was published when."""
