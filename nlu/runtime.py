"""The Rasa runtime: its own Python 3.10 virtual environment, training and the HTTP server."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from nlu.components.encoder import CACHE_ENV, CACHE_NAME
from nlu.training_data import DATA, DOMAIN, NLU_DIR, PIPELINE
from shared.settings import ROOT, Settings

REQUIREMENTS = NLU_DIR / "requirements.lock"
# Quiet, offline Rasa: no telemetry, no TensorFlow chatter.
RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
    # Custom components (nlu/components) are imported from the project root.
    "PYTHONPATH": str(ROOT),
}


def rasa_env(settings: Settings) -> dict[str, str]:
    """Rasa's environment, with the embeddings cache that training shares with the risk check."""
    cache = settings.path(settings.nlu.models_dir) / CACHE_NAME
    return {**RASA_ENV, CACHE_ENV: str(cache)}


class RuntimeMissing(RuntimeError):
    """Raised when Python 3.10 or the Rasa environment is not there, saying what to install."""


def _is_python310(path: Path) -> bool:
    # pyenv shims exist on PATH even when no 3.10 is selected: only a run tells.
    check = [str(path), "-c", "import sys; sys.exit(sys.version_info[:2] != (3, 10))"]
    try:
        return subprocess.run(check, capture_output=True, timeout=30).returncode == 0
    except OSError:
        return False


def find_python310() -> Path:
    """Python 3.10 from PRIMM_PYTHON310, pyenv or PATH, newest patch release first."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    installed = sorted(
        pyenv_root.glob("versions/3.10.*/bin/python3.10"),
        key=lambda p: tuple(int(x) for x in p.parent.parent.name.split(".") if x.isdigit()),
        reverse=True,
    )
    on_path = shutil.which("python3.10")
    candidates = [
        *([Path(os.environ["PRIMM_PYTHON310"])] if "PRIMM_PYTHON310" in os.environ else []),
        *installed,
        *([Path(on_path)] if on_path else []),
    ]
    for candidate in candidates:
        if _is_python310(candidate):
            return candidate
    raise RuntimeMissing(
        "Rasa 3.6.21 needs Python 3.10, and none was found (PRIMM_PYTHON310, pyenv under "
        f"{pyenv_root}, or python3.10 on PATH). Install it, e.g. `pyenv install 3.10`, and retry."
    )


def _digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def venv_dir(settings: Settings) -> Path:
    """Where the Rasa virtual environment lives."""
    return settings.path(settings.nlu.venv)


def rasa_bin(settings: Settings) -> Path:
    """The `rasa` executable, or a clear error when the environment was never installed."""
    path = venv_dir(settings) / "bin" / "rasa"
    if not path.exists():
        raise RuntimeMissing(
            f"no Rasa environment at {venv_dir(settings)}: run `primm nlu install`"
        )
    return path


def install(settings: Settings) -> bool:
    """Create the Rasa environment from the lock file; return False when it is already current."""
    venv = venv_dir(settings)
    marker = venv / f".installed-{_digest(REQUIREMENTS)}"
    if marker.exists():
        return False
    python = find_python310()
    if not (venv / "bin" / "python").exists():
        subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "pip==24.2"], check=True)
    subprocess.run([*pip, "--no-deps", "-r", str(REQUIREMENTS)], check=True)
    for old in venv.glob(".installed-*"):
        old.unlink()
    marker.touch()
    return True


def training_dir(settings: Settings) -> Path:
    """Where the training data generated from the content is written (tests have their own)."""
    return settings.path(settings.nlu.training_dir)


def _data_and_domain(settings: Settings) -> tuple[Path, Path]:
    return training_dir(settings) / DATA, training_dir(settings) / DOMAIN


def model_path(settings: Settings, config: Path = PIPELINE) -> Path:
    """Model file named by the hash of its training data, pipeline, components and lock file."""
    components = sorted((NLU_DIR / "components").glob("*.py"))
    data, domain = _data_and_domain(settings)
    digest = _digest(config, data / "nlu.yml", domain, REQUIREMENTS, *components)
    return settings.path(settings.nlu.models_dir) / f"nlu-{digest}.tar.gz"


def run_rasa(
    settings: Settings, *args: str, quiet: bool = False, env: dict[str, str] | None = None
) -> None:
    """Run a `rasa` sub-command in its environment (plus `env`); raises when it fails."""
    env = {**os.environ, **rasa_env(settings), **(env or {})}
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(
        [str(rasa_bin(settings)), *args],
        check=True,
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )


def validate(settings: Settings) -> None:
    """`rasa data validate` on the generated data; raises when Rasa reports an error."""
    data, domain = _data_and_domain(settings)
    run_rasa(
        settings,
        "data",
        "validate",
        "--domain",
        str(domain),
        "--data",
        str(data),
        "--config",
        str(PIPELINE),
    )


def train(settings: Settings, force: bool = False) -> Path:
    """Validate and train unless a model for exactly this data and pipeline exists."""
    target = model_path(settings)
    if target.exists() and not force:
        return target
    validate(settings)
    data, domain = _data_and_domain(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    run_rasa(
        settings,
        "train",
        "nlu",
        "--config",
        str(PIPELINE),
        "--nlu",
        str(data),
        "--domain",
        str(domain),
        "--out",
        str(target.parent),
        "--fixed-model-name",
        target.name.removesuffix(".tar.gz"),
    )
    return target


def serve_command(settings: Settings, model: Path) -> list[str]:
    """The `rasa run --enable-api` command line for the configured address."""
    address = urlsplit(settings.nlu.url)
    return [
        str(rasa_bin(settings)),
        "run",
        "--enable-api",
        "--model",
        str(model),
        "--interface",
        address.hostname or "127.0.0.1",
        "--port",
        str(address.port or 5005),
        "--quiet",
    ]


def server_dir(settings: Settings) -> Path:
    """The server's working directory: Rasa's POST /model/train saves into its `models` folder."""
    return settings.path(settings.nlu.models_dir).parent


def serve_env(settings: Settings) -> dict[str, str]:
    """The server's environment: training keeps every OpenMP thread, serving `nlu.threads`."""
    return {**rasa_env(settings), "OMP_NUM_THREADS": str(settings.nlu.threads)}


def start_server(
    settings: Settings, model: Path, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start the Rasa server in the background (output to `log` if given), wait until ready."""
    output = log.open("ab") if log else sys.stderr
    server_dir(settings).mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        serve_command(settings, model),
        cwd=server_dir(settings),
        env={**os.environ, **serve_env(settings)},
        stdout=subprocess.DEVNULL,
        stderr=output,
    )
    try:
        wait_ready(settings.nlu.url, process)
    except BaseException:
        process.terminate()
        raise
    return process


def wait_ready(
    url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 180.0
) -> None:
    """Block until the server answers a parse (which also warms the model)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"Rasa server exited with code {process.returncode}")
        try:
            response = httpx.post(f"{url}/model/parse", json={"text": "ciao"}, timeout=5)
            if response.status_code == httpx.codes.OK:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"Rasa server at {url} not ready after {timeout:.0f} s")
