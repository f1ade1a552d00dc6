"""The project's own scripts: the run and test commands' helpers."""
