"""The demo county (示例县): a complete, reproducible database to explore the app with."""

from app.services.demo.builder import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
