"""Runs an operation in a child process and kills it with SIGKILL after a given delay.

    python -m tests.kill_driver

A zygote: it imports the application once, then for every JSON command on stdin forks a
child that runs the command (a `critique-app` command line, or a service function) and
kills it with `kill -9` after `delay` seconds unless it has finished. One JSON line per command
on stdout: {"killed": bool, "code": exit status or null, "seconds": float}. Forking from a
process that has imported everything makes a round cost the operation, not Python's start-up,
so a test can afford dozens of kills.

Commands: {"argv": [...], "delay": s} runs `critique-app ARGV`; {"call": "module:function",
"args": [...], "delay": s} runs a function; "flush_seconds" sets how often fingerprinting
stores its work (so kills land between stored chunks of a small film).
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import time
from typing import Any


def _child(command: dict[str, Any]) -> int:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if "flush_seconds" in command:
        from critique_app.services import fingerprinting

        fingerprinting.FLUSH_SECONDS = float(command["flush_seconds"])
    if "argv" in command:
        from critique_app.cli import main

        return main(command["argv"])
    module, function = command["call"].split(":")
    getattr(importlib.import_module(module), function)(*command.get("args", []))
    return 0


def run(command: dict[str, Any]) -> dict[str, Any]:
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: run, then leave without Python's exit handlers
        code = 1
        try:
            code = _child(command)
        except BaseException:  # noqa: BLE001 - a failure is reported as exit 3
            code = 3
        finally:
            os._exit(code)
    deadline = started + float(command["delay"])
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return {
                "killed": False,
                "code": os.waitstatus_to_exitcode(status),
                "seconds": time.monotonic() - started,
            }
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return {"killed": True, "code": None, "seconds": time.monotonic() - started}
        time.sleep(0.002)


def main() -> int:
    # Everything the operations need, imported before the first fork.
    for name in (
        "critique_app.cli.export",
        "critique_app.cli.fingerprint",
        "critique_app.cli.import_cmd",
        "critique_app.cli.reanchor",
        "critique_app.services.copies",
        "critique_app.services.export",
        "critique_app.services.fingerprinting",
        "critique_app.services.import_annotations",
        "critique_app.services.merge",
        "exporters.csv_table",
        "exporters.subtitles",
    ):
        importlib.import_module(name)

    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run(json.loads(line))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
