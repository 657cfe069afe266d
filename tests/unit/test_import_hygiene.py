"""The data layer never imports textual: the CLI and other tools use it without a UI."""

import pkgutil
import subprocess
import sys

import dext_tui.data


def test_data_layer_imports_no_textual_or_rich():
    modules = [
        f"dext_tui.data.{info.name}"
        for info in pkgutil.iter_modules(dext_tui.data.__path__)
        if info.name != "migrations"
    ]
    assert "dext_tui.data.models" in modules
    script = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
