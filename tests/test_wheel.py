"""augur installs like a library: a wheel built from the repository serves its page and its bundled
drills from any directory, without the repository and without AUGUR_ASSETS."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import urllib.request
import venv

import pytest
from serving import ROOT, augur_serve

pytestmark = pytest.mark.slow

# what a build needs; everything else in the repository (tests, docs) stays out of the wheel
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "augur",
    "assets",
    "scenarios",
)


def build_wheel(source, out) -> os.PathLike:
    # without network: build with the setuptools already installed when it can make wheels itself
    offline = importlib.util.find_spec("wheel") or importlib.util.find_spec("setuptools.command.bdist_wheel")
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)]
    subprocess.run(command + (["--no-build-isolation"] if offline else []), check=True, timeout=600)
    (wheel,) = out.glob("augur-*.whl")
    return wheel


def test_the_wheel_installs_into_a_fresh_venv_and_serves_its_page_and_bundled_drills(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    wheel = build_wheel(source, tmp_path / "dist")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python, augur = env_dir / "bin" / "python", env_dir / "bin" / "augur"
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run([*pip, "install", "--no-deps", "--no-index", "-q", str(wheel)], check=True, timeout=300)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"AUGUR_ASSETS", "PYTHONPATH", "VIRTUAL_ENV"}}
    where = subprocess.run(
        [str(python), "-c", "import augur; print(augur.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(env_dir)), f"the venv imported augur from {where}"

    with augur_serve([], command=[str(augur)], cwd=elsewhere, env=env) as (url, process):
        with urllib.request.urlopen(url) as page:
            assert page.status == 200
        with urllib.request.urlopen(url + "assets/augur.js") as script:
            assert script.read() == (ROOT / "assets" / "augur.js").read_bytes()
        with urllib.request.urlopen(url + "_dash-layout") as layout:
            text = layout.read().decode()
        assert "not found" not in process.output()
    # the page opens on the bundled retail drill and offers every bundled drill
    assert '"children":"Tier-2 chip outage at a smart-home retailer"' in text
    for drill in sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")):
        assert f'"value":"{drill}"' in text, drill
