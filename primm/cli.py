"""The `primm` command: one entry point for running, chatting, asking and maintenance."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import uvloop
from sqlalchemy import select

from admin.auth import UserError, create_user
from admin.server import NotConfigured, serve, session_secret
from content.export import export_seed
from content.loader import SEED_DIR, SeedError, load_seed
from content.report import coverage
from content.report import text as report_text
from dialogue.app import build_app
from nlu import runtime
from nlu.training_data import write_training_data
from shared.logs import configure_logging
from shared.settings import ROOT, Settings, SettingsError, get_settings
from storage.admin import Role
from storage.content import Faq
from storage.db import make_engine, make_sessionmaker
from storage.migrate import NotMigrated, upgrade

log = logging.getLogger("primm")


def cmd_db_upgrade(settings: Settings, _args: argparse.Namespace) -> None:
    """Apply migrations."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()


def cmd_content_load(settings: Settings, args: argparse.Namespace) -> None:
    """Migrate, then upsert the seed YAML (with --if-empty only into a database without FAQs)."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        if args.if_empty and session.scalar(select(Faq.id).limit(1)) is not None:
            print("content kept: the database has content already (mediators' edits stay)")
            report = None
        else:
            report = load_seed(session, Path(args.dir))
    engine.dispose()
    if report is not None:
        print(f"content loaded: {report.summary()}")


def cmd_content_export(settings: Settings, args: argparse.Namespace) -> None:
    """Write the database back to YAML."""
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        export_seed(session, Path(args.dir))
    engine.dispose()
    print(f"content exported to {args.dir}")


def cmd_content_report(settings: Settings, _args: argparse.Namespace) -> None:
    """Print which topics have offices in each province and how many rows have each fact."""
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        print(report_text(coverage(session)))
    engine.dispose()


def cmd_nlu_install(settings: Settings, _args: argparse.Namespace) -> None:
    """Create the Rasa environment (Python 3.10) unless it is current."""
    changed = runtime.install(settings)
    print("Rasa environment installed" if changed else "Rasa environment up to date")


def cmd_nlu_export(settings: Settings, _args: argparse.Namespace) -> None:
    """Generate the Rasa training data from the content base."""
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        paths = write_training_data(session)
    engine.dispose()
    print("wrote " + ", ".join(str(p.relative_to(ROOT)) for p in paths))


def cmd_nlu_train(settings: Settings, args: argparse.Namespace) -> None:
    """Export, validate and train when the data or pipeline changed."""
    cmd_nlu_export(settings, args)
    print(f"model: {runtime.train(settings, force=args.force)}")


def cmd_nlu_serve(settings: Settings, _args: argparse.Namespace) -> None:
    """Run Rasa's HTTP server in the foreground on the newest trained data."""
    model = runtime.model_path(settings)
    if not model.exists():
        raise SystemExit(
            f"no model for the current training data ({model.name}): run `primm nlu train`"
        )
    command = runtime.serve_command(settings, model)
    os.environ.update(runtime.serve_env(settings))
    os.execv(command[0], command)  # noqa: S606 the Rasa executable of our own environment


def _nlu_reachable(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == httpx.codes.OK
    except httpx.HTTPError:
        return False


def cmd_chat(settings: Settings, args: argparse.Namespace) -> None:
    """Chat with the bot in this terminal."""
    from primm.chat import chat

    async def main() -> None:
        app = build_app(settings)
        try:
            await chat(app.chats(), args.lang)
        finally:
            await app.aclose()

    asyncio.run(main())


def cmd_ask(settings: Settings, args: argparse.Namespace) -> None:
    """Print one JSON object per question (argument, or one per line on standard input)."""
    from primm.ask import ask_all

    if not _nlu_reachable(settings.nlu.url):
        print(
            f"NLU server unreachable at {settings.nlu.url}: engine is full-text search",
            file=sys.stderr,
        )

    async def main() -> None:
        app = build_app(settings, record=False)  # not users' questions
        try:
            questions = [args.text] if args.text is not None else sys.stdin
            await ask_all(app.dialogue, questions, args.lang)
        finally:
            await app.aclose()

    asyncio.run(main())


def cmd_bot(settings: Settings, _args: argparse.Namespace) -> None:
    """Run the Telegram front end (polling or webhook, as configured) until interrupted."""
    from bot.app import build_bot, run_bot
    from primm.run import until_signal
    from shared.health import health_server

    if not settings.telegram_bot_token:
        raise SystemExit(
            "primm: TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it"
        )

    async def main() -> None:
        app = build_app(settings)
        try:
            async with health_server(settings, app.engine):
                await run_bot(build_bot(settings, app), until_signal())
        finally:
            await app.aclose()

    # The bot spends much of its CPU in the event loop and its sockets: libuv's loop is cheaper.
    uvloop.run(main())


def cmd_admin_serve(settings: Settings, _args: argparse.Namespace) -> None:
    """Serve the admin web tool (needs PRIMM_ADMIN__SESSION_SECRET)."""
    print(f"admin tool at http://{settings.admin.host}:{settings.admin.port}")
    asyncio.run(serve(settings))


def cmd_admin_create_user(settings: Settings, args: argparse.Namespace) -> None:
    """Create an admin-tool account; the password is read from the terminal or stdin."""
    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    engine = make_engine(settings.database_url)
    upgrade(engine)
    try:
        with make_sessionmaker(engine).begin() as session:
            create_user(session, args.username, password, Role(args.role))
    finally:
        engine.dispose()
    print(f"created {args.role} {args.username}")


def _serve_admin_beside(settings: Settings) -> None:
    """Run the admin tool in a background thread while the chat runs, when it can start."""
    try:
        session_secret(settings)
    except NotConfigured as exc:
        print(f"admin tool not started: {exc}")
        return
    print(f"admin tool at http://{settings.admin.host}:{settings.admin.port}")
    threading.Thread(target=asyncio.run, args=(serve(settings),), daemon=True).start()


def cmd_run(settings: Settings, args: argparse.Namespace) -> None:
    """Everything `make run` needs: database, content, model, Rasa server, bot and chat."""
    from primm.run import run_all

    cmd_content_load(settings, argparse.Namespace(dir=str(SEED_DIR)))
    cmd_nlu_train(settings, argparse.Namespace(force=False))
    server = None
    if not _nlu_reachable(settings.nlu.url):
        log = ROOT / "var" / "rasa.log"
        print(f"starting the Rasa server at {settings.nlu.url} (log: {log.relative_to(ROOT)}) …")
        server = runtime.start_server(settings, runtime.model_path(settings), log)
    _serve_admin_beside(settings)
    try:
        asyncio.run(run_all(settings, args.lang, sys.stdin.isatty()))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


def parser(settings: Settings) -> argparse.ArgumentParser:
    """Sub-commands and their options."""
    top = argparse.ArgumentParser(prog="primm", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    def add(
        name: str,
        handler: Callable[[Settings, argparse.Namespace], None],
        parent: argparse._SubParsersAction[argparse.ArgumentParser] = sub,
    ) -> argparse.ArgumentParser:
        command = parent.add_parser(name, help=(handler.__doc__ or "").strip())
        command.set_defaults(handler=handler)
        return command

    def lang(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--lang",
            choices=settings.languages,
            default=settings.default_language,
            help="the user's language",
        )

    lang(add("run", cmd_run))
    lang(add("chat", cmd_chat))
    add("bot", cmd_bot)
    ask = add("ask", cmd_ask)
    lang(ask)
    ask.add_argument("text", nargs="?", help="the question; read lines from stdin if omitted")

    db = sub.add_parser("db", help="database").add_subparsers(dest="db", required=True)
    add("upgrade", cmd_db_upgrade, db)
    content = sub.add_parser("content", help="content base").add_subparsers(
        dest="content", required=True
    )
    for name, handler in (("load", cmd_content_load), ("export", cmd_content_export)):
        add(name, handler, content).add_argument("--dir", default=str(SEED_DIR))
    content.choices["load"].add_argument(
        "--if-empty",
        action="store_true",
        help="load only into a database without content (every start of a deployment)",
    )
    add("report", cmd_content_report, content)
    nlu = sub.add_parser("nlu", help="Rasa NLU").add_subparsers(dest="nlu", required=True)
    add("install", cmd_nlu_install, nlu)
    add("export", cmd_nlu_export, nlu)
    add("train", cmd_nlu_train, nlu).add_argument("--force", action="store_true")
    add("serve", cmd_nlu_serve, nlu)
    admin = sub.add_parser("admin", help="admin web tool").add_subparsers(
        dest="admin", required=True
    )
    add("serve", cmd_admin_serve, admin)
    create_user = add("create-user", cmd_admin_create_user, admin)
    create_user.add_argument("username")
    create_user.add_argument("--role", choices=[r.value for r in Role], default="admin")
    return top


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `primm` script."""
    try:
        settings = get_settings()
        configure_logging(settings.log_format)
        args = parser(settings).parse_args(argv)
        args.handler(settings, args)
    except (
        SettingsError,
        SeedError,
        NotMigrated,
        runtime.RuntimeMissing,
        NotConfigured,
        UserError,
    ) as exc:
        raise SystemExit(f"primm: {exc}") from exc
