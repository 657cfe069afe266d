"""Every command in README.md's ```sh blocks works as written, so the README cannot drift.

The commands run for real, in README order, from a temporary folder laid out like a
clone (Makefile, pyproject.toml, benchmarks/ and .ci/ linked from this repository,
`.venv` linked to the environment running the tests), so a file such as
`practice.sqlite` lands there and not in the repository. Only what must be is changed:

- commands that open the TUI (`dext-tui` without a sub-command, `textual run`,
  `make demo`) run under a pseudo-terminal (80x24), must show the client list
  ("Showing ... clients"), and are quit with `q`; they must exit 0;
- `make` never reinstalls the environment (`-o .venv/bin/dext-tui`): installing is
  not what is tested, and it would replace the environment the tests run in;
- `--clients` above 20,000 becomes 300 (the benchmarks), to keep this test short;
- `dext-tui serve` must print its link and answer it on loopback at the `--port` it is given,
  and is then stopped;
- `make test` and `make snapshots` run this very suite and cannot run inside it. For
  them the test checks that every program their recipes call is installed, that
  pytest knows `--snapshot-update`, and that `.ci/run` runs `make test`: CI runs
  that command for real on every change, which is where it is proven.

A README command none of these rules covers fails the test: add a rule here rather
than leave the command untested.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from dext_tui.cli import main as cli_main
from tests.pseudo_terminal import run_on_terminal

REPO = Path(__file__).parents[2]
README = REPO / "README.md"
VENV = Path(sys.executable).parent.parent  # the environment running the tests
LINKED_FROM_REPO = ["Makefile", "pyproject.toml", "benchmarks", ".ci"]
SUITE_TARGETS = {"test", "snapshots"}  # make targets that run this suite
MOST_CLIENTS = 20_000
FEW_CLIENTS = 300
TUI_SHOWN = "Showing"  # the status line under the client list: "Showing X of Y clients"
TUI_DEADLINE_S = 90  # a hang guard only: the app shows its list in a few seconds
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>])")


def readme_commands(text: str) -> list[str]:
    """The command lines of every ```sh block, comments and blank lines left out."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            if shlex.split(line, comments=True):
                commands.append(line.strip())
    return commands


def test_the_readme_shows_the_commands_a_new_user_needs():
    """Guards the parser: if it found nothing, the test below would prove nothing."""
    commands = readme_commands(README.read_text())
    assert any(command.startswith("make demo ") for command in commands)
    assert any(" seed " in command for command in commands)
    assert any(command.startswith(".venv/bin/dext-tui --db ") for command in commands)


# --- running one command ------------------------------------------------------------------


def screen_text(output: bytes) -> str:
    return ANSI.sub("", output.decode("utf-8", "replace"))


def run_in_terminal(argv: list[str], cwd: Path, env: dict[str, str]) -> str | None:
    """Run `argv` on a pseudo-terminal, press `q` once the client list shows; None if
    all went as it should, else what went wrong."""
    run = run_on_terminal(
        argv,
        env=env,
        cwd=cwd,
        shown=lambda output: TUI_SHOWN in screen_text(output),
        then=lambda terminal, _process: os.write(terminal, b"q"),
        deadline_s=TUI_DEADLINE_S,
    )
    if run.returncode is None:
        return f"running after {TUI_DEADLINE_S} s; the screen: {screen_text(run.output)[-500:]!r}"
    if run.shown_at is None:
        return (
            f"never showed the client list; exit {run.returncode}: "
            f"{screen_text(run.output)[-800:]!r}"
        )
    if run.returncode != 0:
        return f"exit {run.returncode} after q: {screen_text(run.output)[-800:]!r}"
    return None


def serves(argv: list[str]) -> bool:
    return Path(argv[0]).name == "dext-tui" and "serve" in argv[1:]


def run_serving(argv: list[str], cwd: Path, env: dict[str, str]) -> str | None:
    """`dext-tui serve ... --port N`: it must answer a browser's first request on
    loopback; then it is stopped."""
    if "--port" not in argv:
        return "give serve a --port in the README, so this test knows where to look"
    port = int(argv[argv.index("--port") + 1])
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        # Its first line, once listening, is the link with its token (a guard, not a timer).
        line = process.stdout.readline().decode()
        if " at http://" not in line:
            return f"exit {process.wait(timeout=30)}: {process.stderr.read().decode()[-800:]}"
        url = line.split(" at ", 1)[1].split()[0]
        if not url.startswith(f"http://127.0.0.1:{port}/"):
            return f"serve printed {url}, not a link on port {port}"
        with urllib.request.urlopen(url, timeout=TUI_DEADLINE_S) as page:
            return None if page.status == 200 else f"HTTP {page.status}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def run_headless(argv: list[str], cwd: Path, env: dict[str, str]) -> str | None:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or "Traceback" in result.stderr:
        return f"exit {result.returncode}: {(result.stderr or result.stdout)[-800:]}"
    return None


def fewer_clients(argv: list[str]) -> list[str]:
    argv = list(argv)
    for index, word in enumerate(argv[:-1]):
        if word == "--clients" and int(argv[index + 1]) > MOST_CLIENTS:
            argv[index + 1] = str(FEW_CLIENTS)
    return argv


def opens_the_tui(argv: list[str]) -> bool:
    program = Path(argv[0]).name
    if program == "dext-tui":
        asks_help = {"-h", "--help"} & set(argv)
        return not asks_help and not set(cli_main.commands) & set(argv[1:])
    return program == "textual" and argv[1:2] == ["run"]


def runs_the_suite(argv: list[str]) -> bool:
    return Path(argv[0]).name == "pytest"


def make_recipe(target: str, cwd: Path, env: dict[str, str]) -> list[list[str]] | str:
    """The commands `make TARGET` runs (without the environment set-up), or make's error."""
    dry = subprocess.run(
        ["make", "-n", "-o", ".venv/bin/dext-tui", target],
        cwd=cwd, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if dry.returncode != 0:
        return f"exit {dry.returncode}: {dry.stderr.strip()}"
    return [shlex.split(line) for line in dry.stdout.splitlines() if line.strip()]


def check_suite_target(target: str, recipe: list[list[str]], cwd: Path) -> str | None:
    """`make test` / `make snapshots` run this suite: check what can be checked here."""
    for argv in recipe:
        program = cwd / argv[0]
        if not (program.is_file() and os.access(program, os.X_OK)):
            return f"{argv[0]} is not installed"
    if target == "snapshots":
        pytest_help = subprocess.run(
            [str(cwd / recipe[-1][0]), "--help"], cwd=cwd, capture_output=True, text=True
        )
        if "--snapshot-update" not in pytest_help.stdout:
            return "pytest does not know --snapshot-update"
    if target == "test":
        ci = [
            shlex.split(line, comments=True)
            for line in (REPO / ".ci" / "run").read_text().splitlines()
        ]
        if ["make", "test"] not in ci:
            return ".ci/run does not run `make test`"
    return None


def run_readme_command(command: str, cwd: Path, env: dict[str, str]) -> str | None:
    argv = shlex.split(command, comments=True)
    if argv[0] == "make":
        (target,) = argv[1:]
        recipe = make_recipe(target, cwd, env)
        if isinstance(recipe, str):
            return recipe
        if not recipe:
            return f"make {target} does nothing"
        if target in SUITE_TARGETS and any(runs_the_suite(line) for line in recipe):
            return check_suite_target(target, recipe, cwd)
        if any(opens_the_tui(line) for line in recipe):
            return run_in_terminal(["make", "-o", ".venv/bin/dext-tui", target], cwd, env)
        for line in recipe:
            if problem := run_headless(fewer_clients(line), cwd, env):
                return f"{shlex.join(line)}: {problem}"
        return None
    if not argv[0].startswith(".venv/bin/"):
        return f"no rule to run {argv[0]!r} here; add one to {Path(__file__).name}"
    if opens_the_tui(argv):
        return run_in_terminal(argv, cwd, env)
    if serves(argv):
        return run_serving(argv, cwd, env)
    return run_headless(fewer_clients(argv), cwd, env)


# --- the README, command by command ---------------------------------------------------------


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A folder that looks like this repository's clone, to run the commands from."""
    folder = tmp_path / "clone"
    folder.mkdir()
    for name in LINKED_FROM_REPO:
        (folder / name).symlink_to(REPO / name)
    (folder / ".venv").symlink_to(VENV)
    return folder


def command_environment(tmp_path: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DEXT_DATABASE_URL", "DEXT_USER", "COLUMNS", "LINES")
        and not name.startswith("MAKE")  # when `make test` runs this, its make is not ours
    }
    env["TERM"] = "xterm-256color"
    env["XDG_DATA_HOME"] = str(tmp_path / "data")  # the default database stays in here
    return env


@pytest.mark.slow  # a fresh clone, and every command the README shows run in it
def test_every_readme_command_works_as_written(clone: Path, tmp_path: Path):
    env = command_environment(tmp_path)
    problems = []
    for command in readme_commands(README.read_text()):
        if problem := run_readme_command(command, clone, env):
            problems.append(f"{command}\n    {problem}")
    assert not problems, "README commands that do not work:\n" + "\n".join(problems)
