"""What each `primm` subcommand does, as functions with typed arguments (argparse is in cli.py)."""

from __future__ import annotations

import asyncio
import getpass
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import httpx
import uvloop
from sqlalchemy import select

from admin.auth import create_user
from admin.server import NotConfigured, serve, session_secret
from content.export import export_seed
from content.lengths import lengths
from content.lengths import text as lengths_text
from content.loader import SEED_DIR, load_seed
from content.report import coverage
from content.report import text as report_text
from content.voice import voice_notes
from dialogue.app import build_app
from nlu import runtime
from nlu.risk import risk_file, risk_model
from nlu.training_data import write_training_data
from shared.settings import ROOT, Settings
from storage.admin import Role
from storage.content import Faq
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade


def upgrade_database(settings: Settings) -> None:
    """Apply migrations."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()


def load_content(settings: Settings, seed_dir: Path = SEED_DIR, if_empty: bool = False) -> None:
    """Migrate, then upsert the seed YAML (with `if_empty` only into a database without FAQs)."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        if if_empty and session.scalar(select(Faq.id).limit(1)) is not None:
            print("content kept: the database has content already (mediators' edits stay)")
            report = None
        else:
            report = load_seed(session, seed_dir)
    engine.dispose()
    if report is not None:
        print(f"content loaded: {report.summary()}")


def export_content(settings: Settings, seed_dir: Path) -> None:
    """Write the database back to YAML."""
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        export_seed(session, seed_dir)
    engine.dispose()
    print(f"content exported to {seed_dir}")


def print_report(settings: Settings) -> None:
    """Print which topics have offices in each province and how many rows have each fact."""
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        print(report_text(coverage(session)))
    engine.dispose()


def print_lengths(settings: Settings) -> None:
    """Print the words of each answer's first message per language (median and maximum)."""
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        print(lengths_text(lengths(session, list(settings.languages))))
    engine.dispose()


def write_voice(settings: Settings, language: str, faq: str, output: Path) -> None:
    """Write an FAQ's voice note in a language, the file "🔊 Listen" sends, to check it."""
    engine = make_engine(settings.database_url)
    try:
        note = voice_notes(settings, make_sessionmaker(engine)).faq(faq, language)
    finally:
        engine.dispose()
    if note is None:
        raise SystemExit(f"primm: FAQ {faq!r} has no published text in {language}")
    shutil.copyfile(note.path, output)
    print(f"{_shown(output)}: {note.seconds} s, {output.stat().st_size} bytes (Ogg/Opus)")


def install_nlu(settings: Settings) -> None:
    """Create the Rasa environment (Python 3.10) unless it is current."""
    changed = runtime.install(settings)
    print("Rasa environment installed" if changed else "Rasa environment up to date")


def export_training_data(settings: Settings) -> None:
    """Generate the Rasa training data from the content base."""
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        paths = write_training_data(session, runtime.training_dir(settings))
    engine.dispose()
    print("wrote " + ", ".join(str(_shown(path)) for path in paths))


def train_nlu(settings: Settings, force: bool = False) -> Path:
    """Export, validate and train when the data or pipeline changed; returns the model."""
    export_training_data(settings)
    model = runtime.train(settings, force=force)
    print(f"model: {_shown(model)}")
    train_risk(settings)
    return model


def train_risk(settings: Settings) -> None:
    """Train the risk check for the seed files unless it exists (beside the NLU models)."""
    models = settings.path(settings.nlu.models_dir)
    risk_model(models)
    print(f"risk check: {_shown(models / risk_file())}")


def serve_nlu(settings: Settings) -> None:
    """Run Rasa's HTTP server in the foreground on the newest trained data."""
    model = runtime.model_path(settings)
    if not model.exists():
        raise SystemExit(
            f"no model for the current training data ({model.name}): run `primm nlu train`"
        )
    command = runtime.serve_command(settings, model)
    os.environ.update(runtime.serve_env(settings))
    os.execv(command[0], command)  # noqa: S606 the Rasa executable of our own environment


def nlu_reachable(url: str) -> bool:
    """Whether a Rasa server answers at `url`."""
    try:
        return httpx.get(url, timeout=2).status_code == httpx.codes.OK
    except httpx.HTTPError:
        return False


def chat(settings: Settings, language: str) -> None:
    """Chat with the bot in this terminal."""
    from primm.chat import chat as chat_loop

    async def main() -> None:
        app = build_app(settings)
        try:
            await chat_loop(app.chats(), language)
        finally:
            await app.aclose()

    asyncio.run(main())


def ask(settings: Settings, language: str, text: str | None = None) -> None:
    """Print one JSON object per question (the text, or one per line on standard input)."""
    from primm.ask import ask_all

    if not nlu_reachable(settings.nlu.url):
        print(
            f"NLU server unreachable at {settings.nlu.url}: engine is full-text search",
            file=sys.stderr,
        )

    async def main() -> None:
        app = build_app(settings, record=False)  # not users' questions
        try:
            questions = [text] if text is not None else sys.stdin
            await ask_all(app.dialogue, questions, language)
        finally:
            await app.aclose()

    asyncio.run(main())


def bot(settings: Settings) -> None:
    """Run the Telegram front end (polling or webhook, as configured) until interrupted."""
    from threadpoolctl import threadpool_limits

    from bot.app import build_bot, run_bot
    from primm.run import until_signal
    from shared.health import health_server

    if not settings.telegram_bot_token:
        raise SystemExit(
            "primm: TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it"
        )

    async def main() -> None:
        app = build_app(settings)
        # The risk check embeds each message in a worker thread: BLAS threads of its own only
        # spun against the other turns and Rasa (README, `make bench-bot`).
        threadpool_limits(limits=1)
        try:
            async with health_server(settings, app.engine):
                await run_bot(build_bot(settings, app), until_signal())
        finally:
            await app.aclose()

    # The bot spends much of its CPU in the event loop and its sockets: libuv's loop is cheaper.
    uvloop.run(main())


def serve_admin(settings: Settings) -> None:
    """Serve the admin web tool (needs PRIMM_ADMIN__SESSION_SECRET)."""
    print(f"admin tool at http://{settings.admin.host}:{settings.admin.port}")
    asyncio.run(serve(settings))


def create_admin_user(settings: Settings, username: str, role: Role = Role.ADMIN) -> None:
    """Create an admin-tool account; the password is read from the terminal or stdin."""
    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    engine = make_engine(settings.database_url)
    upgrade(engine)
    try:
        with make_sessionmaker(engine).begin() as session:
            create_user(session, username, password, role)
    finally:
        engine.dispose()
    print(f"created {role.value} {username}")


def _serve_admin_beside(settings: Settings) -> None:
    """Run the admin tool in a background thread while the chat runs, when it can start."""
    try:
        session_secret(settings)
    except NotConfigured as exc:
        print(f"admin tool not started: {exc}")
        return
    print(f"admin tool at http://{settings.admin.host}:{settings.admin.port}")
    threading.Thread(target=asyncio.run, args=(serve(settings),), daemon=True).start()


def _shown(path: Path) -> Path:
    """A path as a person reads it: relative to the project when it is inside it."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _stop(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def run(settings: Settings, language: str) -> None:
    """Everything `make run` needs: database, content, model, Rasa server, bot and chat."""
    from primm.run import run_all

    # A stop while the set-up runs (a service manager's SIGTERM) still stops the Rasa server.
    signal.signal(signal.SIGTERM, _stop)
    load_content(settings, SEED_DIR, if_empty=False)
    model = train_nlu(settings)
    server = None
    if not nlu_reachable(settings.nlu.url):
        log = settings.path(Path("var") / "rasa.log")
        log.parent.mkdir(parents=True, exist_ok=True)
        print(f"starting the Rasa server at {settings.nlu.url} (log: {_shown(log)}) …")
        try:
            server = runtime.start_server(settings, model, log)
        except (RuntimeError, TimeoutError) as exc:
            raise SystemExit(
                f"primm: the Rasa server did not start ({exc}); its log is {_shown(log)}. "
                f"Is {settings.nlu.url} taken? Choose another address with PRIMM_NLU__URL."
            ) from exc
    _serve_admin_beside(settings)
    try:
        asyncio.run(run_all(settings, language, sys.stdin.isatty()))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
