"""One safe-text rule for every way text leaves the program: a hostile corpus of names
goes through every command-line sink, and no raw control character may come out.

(The screen's sinks — notifications, headings — are driven in tests/ui/test_safe_text_screens.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from dext_tui.cli import main
from dext_tui.data.failures import plain_reason
from dext_tui.data.safe_text import clipped, printable, printable_lines
from dext_tui.fatal import report_fatal_error
from tests.factories import add_member, add_practice, add_stored_client

HOSTILE_NAMES = (
    "Sgr \x1b[31mRED\x1b[0m Ltd",
    "Clip \x1b]52;c;aGFja2Vk\x07 Ltd",  # OSC 52: writes the terminal's clipboard
    "Link \x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ Ltd",  # OSC 8 hyperlink
    "Csi \x9b31mC1\x9b0m Ltd",  # the one-character CSI
    "Bidi \u202eevil\u202c \u2066isolate\u2069 Ltd",
    "Nul \x00 Del \x7f Bell \x07 Ltd",
    "[bold]x[/] Ltd",
    "[link=https://evil.example/]y[/link] Ltd",
    "Long " + "x" * 10_000 + " Ltd",
)

# Raw terminal control: C0 but tab and line feed (CR only before LF), DEL, C1, bidi controls.
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def assert_clean(output: str) -> None:
    found = RAW_CONTROL.search(output)
    assert found is None, f"raw {found.group()!r} at {found.start()}: {output[:200]!r}"


def test_the_rule_makes_every_control_visible_and_leaves_markup_alone() -> None:
    for name in HOSTILE_NAMES:
        assert_clean(printable(name))
        assert_clean(clipped(name, 40))
        assert len(clipped(name, 40)) <= 40
    assert printable("[bold]x[/]") == "[bold]x[/]"
    assert printable("\x9b\u202e") == "\ufffd\ufffd"
    assert printable_lines("a\x1b\nb") == "a␛\nb"
    assert clipped("Thames Water Ltd", 8) == "Thames …"


@pytest.fixture
def hostile_database(sqlite_db: Engine, tmp_path: Path) -> str:
    practice_id = add_practice(sqlite_db, "Evil \x1b]52;c;aGFja2Vk\x07 Practice")
    add_member(sqlite_db, practice_id, "admin@example.com")
    for number, name in enumerate(HOSTILE_NAMES):
        add_stored_client(sqlite_db, practice_id, name, code=f"H{number}")
    sqlite_db.dispose()
    return str(tmp_path / "test.sqlite")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_upload_messages_naming_hostile_clients_are_clean(
    hostile_database: str, tmp_path: Path
) -> None:
    """Known names with new codes, unknown names, and codes another hostile client holds:
    each problem line names a client, on stderr, and the file's own name is on stdout."""
    # A NUL makes the whole file binary (refused, naming the file): those rows come second.
    in_text = [name for name in HOSTILE_NAMES if "\x00" not in name]
    rows = [(name, f"NEW{n}") for n, name in enumerate(in_text)]
    rows += [(name + " Unknown", "X1") for name in in_text]
    rows += [(HOSTILE_NAMES[0], "H1")]  # the code another client has
    body = "client_name,practice_code\r\n" + "".join(
        '"' + name.replace('"', '""') + f'",{code}\r\n' for name, code in rows
    )
    path = tmp_path / "codes \x1b]52;c;aGFja2Vk\x07.csv"
    for text, said in ((body + '"\x00",X\r\n', "binary file"), (body, "Unknown")):
        path.write_text(text, encoding="utf-8")
        result = run("codes", "upload", str(path), "--dry-run", "--db", hostile_database,
                     "--user", "admin@example.com")  # fmt: skip
        assert result.exit_code == 1
        assert said in result.stderr and "codes ␛]52;c;aGFja2Vk␇.csv" in result.output
        assert_clean(result.stdout)
        assert_clean(result.stderr)
    assert "Sgr ␛[31mRED␛[0m Ltd Unknown" in result.stderr  # a problem naming a client
    assert_clean(result.stdout)
    assert_clean(result.stderr)


def test_export_and_its_messages_are_clean_and_the_file_keeps_the_data(
    hostile_database: str, tmp_path: Path
) -> None:
    out = tmp_path / "list \x1b[31m\u202e.csv"
    for search in ("ltd \x1b[2J", ""):
        result = run("export", "--out", str(out), "--search", search,
                     "--db", hostile_database, "--user", "admin@example.com")  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "list ␛[31m\ufffd.csv" in result.stdout
        assert_clean(result.stdout)
        assert_clean(result.stderr)
    assert "\x1b]52;c;aGFja2Vk\x07" in out.read_text(encoding="utf-8-sig")  # data stays data


def test_a_refusal_naming_a_hostile_user_is_clean(hostile_database: str) -> None:
    result = run("export", "--out", "x.csv", "--db", hostile_database,
                 "--user", "evil\x1b]52;c;aGFja2Vk\x07@example.com")  # fmt: skip
    assert result.exit_code == 1
    assert "No team member matches user 'evil" in result.stderr
    assert_clean(result.stdout)
    assert_clean(result.stderr)


def test_failure_lines_and_the_crash_log_are_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dext_tui.fatal.crash_log_path", lambda: tmp_path / "crash.log")
    error = ValueError(f"bad name {HOSTILE_NAMES[1]}\nsecond line {HOSTILE_NAMES[3]}")
    assert_clean(plain_reason(error))
    line = report_fatal_error(error)
    assert "Clip ␛]52" in line
    assert_clean(line)
    log = (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert "Csi \ufffd31mC1" in log
    assert_clean(log)
