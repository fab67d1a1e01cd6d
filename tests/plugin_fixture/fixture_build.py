"""A minimal PEP 517 backend for the plugin fixture: a pure-Python wheel from pyproject.toml, stdlib only.

Enough for `pip install --no-deps --no-build-isolation` offline on any
interpreter the suite runs on, with or without setuptools and wheel.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = "bb_plugin_fixture"


def _project() -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10: boilerbench depends on tomli there
        import tomli as tomllib
    return tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _dist_name(project: dict) -> str:
    return re.sub(r"[-_.]+", "_", project["name"]).lower()


def _metadata_files(project: dict) -> dict[str, str]:
    metadata = (f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
                f"Summary: {project.get('description', '')}\nRequires-Python: {project.get('requires-python', '')}\n")
    groups = project.get("entry-points", {})
    entry_points = "".join(f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in items.items()) + "\n"
                           for group, items in groups.items())
    wheel = "Wheel-Version: 1.0\nGenerator: fixture_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return {"METADATA": metadata, "WHEEL": wheel, "entry_points.txt": entry_points}


def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project = _project()
    info = f"{_dist_name(project)}-{project['version']}.dist-info"
    target = Path(metadata_directory) / info
    target.mkdir(parents=True, exist_ok=True)
    for name, text in _metadata_files(project).items():
        (target / name).write_text(text, encoding="utf-8")
    return info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    dist, version = _dist_name(project), project["version"]
    info = f"{dist}-{version}.dist-info"
    files = {f"{PACKAGE}/{path.name}": path.read_bytes() for path in sorted((HERE / PACKAGE).glob("*.py"))}
    files.update({f"{info}/{name}": text.encode("utf-8") for name, text in _metadata_files(project).items()})
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    wheel_name = f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / wheel_name, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel_name
