"""Renderers: FileReport(s) -> text. Pure functions of the reports."""
