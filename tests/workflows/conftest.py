from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How much of the exchange day the state machine walked: the closing note quotes it."""
    from tests.workflows.test_exchange_day import ExchangeDay

    explored = ExchangeDay.explored
    if not explored["sequences"]:
        return
    terminalreporter.section("exchange day state machine")
    terminalreporter.write_line(
        f"{explored['sequences']} sequences, {explored['steps']} steps explored"
    )
    for step, n in sorted(explored.items()):
        if ":" in step:
            terminalreporter.write_line(f"  {step}: {n}")
