"""The build step pyproject.toml cannot say: the app's ``assets/`` and the bundled ``scenarios/`` live at
the repository's root (where a reader of the repository finds them), and a wheel carries a copy of
both inside the package, as ``augur/_bundled/``, so an installed augur serves its page and its drills
from any directory."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("assets", "scenarios")


class BuildWithBundled(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the repository itself
        for name in BUNDLED:
            target = Path(self.build_lib) / "augur" / "_bundled" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithBundled})
