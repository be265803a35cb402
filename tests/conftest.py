"""One shared environment per provider major for the projects the tests synthesize.

Installing a project's dependencies takes about a minute, so each provider major gets
ONE virtual environment per run, shared by the pytest-xdist workers under a file lock.
The verification hook uses it through TAP_TEMPLATE_PYTHON instead of running
`pipenv install` per project.
"""

import functools
import os
import subprocess
import venv
from collections.abc import Callable

import pytest
from filelock import FileLock

from rendering import pipfile_requirements, render


@pytest.fixture(scope="session")
def project_python(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], str]:
    """project_python(major) -> an interpreter with the dependencies of projects on that provider major."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, the same for every xdist worker

    @functools.cache
    def environment(major: int) -> str:
        pipfile_project = render(tmp_path_factory.mktemp(f"pipfile-aws{major}"), {"aws_provider_major": major})
        requirements = pipfile_requirements(pipfile_project)
        home = shared / f"project-env-aws{major}"
        python = home / "bin" / "python"
        with FileLock(f"{home}.lock"):
            if not (home / "installed").exists():
                venv.create(home, with_pip=True, clear=True)
                subprocess.run(
                    [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements],
                    check=True,
                )
                (home / "installed").write_text("\n".join(requirements))
        return str(python)

    return environment
