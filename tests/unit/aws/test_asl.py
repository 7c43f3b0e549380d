"""The Step Functions definitions Terraform deploys (`terraform/asl/*.asl.json`) are sound.

Checked: well-formed Amazon States Language (StartAt, known state types, every transition names a
state, every state ends or moves on), every Task retries and catches, every path from the start ends,
and an error never disappears: every path from a Catch ends in a Fail state.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ASL_DIR = Path(__file__).parents[3] / "terraform" / "asl"
DEFINITIONS = sorted(ASL_DIR.glob("*.asl.json"))
TYPES = {"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}
TERMINAL_TYPES = {"Succeed", "Fail"}


def _machines(definition: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The machine and every nested one (Parallel branches, Map iterators), with a name for messages."""
    yield where, definition
    for name, state in definition["States"].items():
        for i, branch in enumerate(state.get("Branches", [])):
            yield from _machines(branch, f"{where}/{name}[{i}]")
        nested = state.get("ItemProcessor") or state.get("Iterator")
        if nested:
            yield from _machines(nested, f"{where}/{name}")


def _successors(state: dict[str, Any]) -> list[str]:
    nexts = [state["Next"]] if "Next" in state else []
    nexts += [c["Next"] for c in state.get("Choices", [])]
    nexts += [state["Default"]] if "Default" in state else []
    nexts += [c["Next"] for c in state.get("Catch", [])]
    return nexts


def _ends(states: dict[str, Any], start: str) -> set[str]:
    """The ways paths from `start` end: 'End' (End: true or Succeed) or 'Fail'; 'loop' if one never ends."""
    outcomes: set[str] = set()
    seen: set[str] = set()

    def walk(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            outcomes.add("loop")
            return
        seen.add(name)
        state = states[name]
        if state["Type"] == "Fail":
            outcomes.add("Fail")
        elif state["Type"] == "Succeed" or state.get("End") is True:
            outcomes.add("End")
        for nxt in _successors(state):
            walk(nxt, (*path, name))

    walk(start, ())
    return outcomes


@pytest.fixture(params=DEFINITIONS or [None], ids=lambda p: p.name if p else "none")
def definition(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    path: Path | None = request.param
    if path is None:
        pytest.skip(f"no state machine definitions in {ASL_DIR} yet (Terraform writes them)")
    return path.name, json.loads(path.read_text())


def test_well_formed(definition: tuple[str, dict[str, Any]]) -> None:
    for where, machine in _machines(definition[1], definition[0]):
        states = machine["States"]
        assert machine["StartAt"] in states, where
        for name, state in states.items():
            assert state["Type"] in TYPES, f"{where}/{name}: unknown type {state['Type']}"
            for nxt in _successors(state):
                assert nxt in states, f"{where}/{name}: transition to unknown state {nxt}"
            if state["Type"] not in TERMINAL_TYPES | {"Choice"}:
                assert ("Next" in state) != (state.get("End") is True), f"{where}/{name}: needs Next xor End"
            if state["Type"] == "Task":
                assert state.get("Resource", "").startswith("arn:"), f"{where}/{name}: Task without Resource"


def test_every_task_retries_and_catches(definition: tuple[str, dict[str, Any]]) -> None:
    for where, machine in _machines(definition[1], definition[0]):
        for name, state in machine["States"].items():
            if state["Type"] == "Task":
                assert state.get("Retry"), f"{where}/{name}: Task without Retry"
                assert state.get("Catch"), f"{where}/{name}: Task without Catch"
                for retry in state["Retry"]:
                    assert retry["ErrorEquals"], f"{where}/{name}: Retry without ErrorEquals"
                    assert retry.get("MaxAttempts", 3) >= 1, f"{where}/{name}: Retry that never retries"


def test_every_path_ends_and_no_error_is_swallowed(definition: tuple[str, dict[str, Any]]) -> None:
    for where, machine in _machines(definition[1], definition[0]):
        states = machine["States"]
        assert "loop" not in _ends(states, machine["StartAt"]), f"{where}: a path that never ends"
        for name, state in states.items():
            for catch in state.get("Catch", []):
                assert _ends(states, catch["Next"]) == {"Fail"}, (
                    f"{where}/{name}: a caught error can end the execution without failing it"
                )


def test_the_checks_catch_a_swallowed_error_and_a_loop() -> None:
    swallowing = {
        "Job": {
            "Type": "Task",
            "Resource": "arn:x",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Log"}],
            "End": True,
        },
        "Log": {"Type": "Pass", "End": True},
    }
    assert _ends(swallowing, "Log") == {"End"}
    looping = {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Wait", "Seconds": 1, "Next": "A"}}
    assert "loop" in _ends(looping, "A")
