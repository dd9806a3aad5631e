"""Settings in one shape: read from the environment in settings.py only, Pressroom's own in
the PRESSROOM dict, and importing them writes nothing."""

import ast
import os
import subprocess
import sys
from pathlib import Path

from django.conf import global_settings

SRC = Path(__file__).resolve().parents[1] / "src" / "pressroom"
README = Path(__file__).resolve().parents[1] / "README.md"


def _python_files():
    return [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]


def test_importing_settings_writes_nothing(tmp_path):
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "PRESSROOM_SECRET_KEY"}
    env.update(PRESSROOM_DATA=str(data), DJANGO_SETTINGS_MODULE="pressroom.settings")
    subprocess.run([sys.executable, "-c", "import pressroom.settings as s; s.SECRET_KEY; s.DATABASES"],
                   env=env, check=True)
    assert not data.exists()


def test_the_secret_key_file_is_made_on_first_use(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PRESSROOM_SECRET_KEY"}
    env.update(PRESSROOM_DATA=str(tmp_path / "d"), DJANGO_SETTINGS_MODULE="pressroom.settings")
    show = "from django.conf import settings; print(str(settings.SECRET_KEY))"
    out = subprocess.run([sys.executable, "-c", show], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    assert out == (tmp_path / "d" / "secret_key").read_text().strip() and len(out) >= 50


def test_only_settings_py_reads_the_environment():
    """serve.py and friends take settings.PRESSROOM[...], so the README's table is complete."""
    readers = []
    for path in _python_files():
        if path.name == "settings.py" or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in (
                    "os.environ.get", "os.getenv") and node.args and isinstance(
                    node.args[0], ast.Constant) and node.args[0].value != "DJANGO_SETTINGS_MODULE":
                readers.append(f"{path.relative_to(SRC)}:{node.lineno} {node.args[0].value}")
    assert readers == []


def test_pressroom_settings_are_read_from_the_one_dict():
    """`settings.FOO` names only Django's own settings; Pressroom's are settings.PRESSROOM[...]."""
    django_names = {n for n in dir(global_settings) if n.isupper()} | {"PRESSROOM"}
    strays = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "settings" and node.attr.isupper()
                    and node.attr not in django_names):
                strays.append(f"{path.relative_to(SRC)}:{node.lineno} settings.{node.attr}")
    assert strays == []


def test_every_pressroom_key_is_in_the_readme_table():
    from django.conf import settings

    table = README.read_text().split("## Settings", 1)[1].split("\n## ", 1)[0]
    assert [key for key in settings.PRESSROOM if f"`{key}`" not in table] == []
