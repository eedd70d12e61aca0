"""The `primm` command: argparse maps each subcommand's options onto a function of commands.py."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from admin.auth import UserError
from admin.server import NotConfigured
from content.loader import SEED_DIR, SeedError
from content.voice import VoiceError
from nlu import runtime
from primm import commands
from shared.logs import configure_logging
from shared.settings import Settings, SettingsError, get_settings
from storage.admin import Role
from storage.migrate import NotMigrated

# Every option's `dest` is the name of a parameter of its command's function; the groups'
# `dest`s name the chosen subcommands and are not passed on.
HANDLER = "handler"
GROUPS = ("command", "db", "content", "nlu", "admin")


def parser(settings: Settings) -> argparse.ArgumentParser:
    """Sub-commands and their options."""
    top = argparse.ArgumentParser(prog="primm", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    def add(
        name: str,
        function: Callable[..., Any],
        parent: argparse._SubParsersAction[argparse.ArgumentParser] = sub,
    ) -> argparse.ArgumentParser:
        command = parent.add_parser(name, help=(function.__doc__ or "").strip())
        command.set_defaults(**{HANDLER: function})
        return command

    def lang(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--lang",
            dest="language",
            choices=settings.languages,
            default=settings.default_language,
            help="the user's language",
        )

    def seed_dir(command: argparse.ArgumentParser) -> argparse.ArgumentParser:
        command.add_argument("--dir", dest="seed_dir", type=Path, default=SEED_DIR)
        return command

    lang(add("run", commands.run))
    lang(add("chat", commands.chat))
    add("bot", commands.bot)
    ask = add("ask", commands.ask)
    lang(ask)
    ask.add_argument("text", nargs="?", help="the question; read lines from stdin if omitted")

    voice = add("voice", commands.write_voice)
    lang(voice)
    voice.add_argument("--faq", required=True, help="the FAQ's slug")
    voice.add_argument("-o", dest="output", type=Path, required=True, help="the Ogg/Opus file")

    db = sub.add_parser("db", help="database").add_subparsers(dest="db", required=True)
    add("upgrade", commands.upgrade_database, db)
    content = sub.add_parser("content", help="content base").add_subparsers(
        dest="content", required=True
    )
    seed_dir(add("load", commands.load_content, content)).add_argument(
        "--if-empty",
        action="store_true",
        help="load only into a database without content (every start of a deployment)",
    )
    seed_dir(add("export", commands.export_content, content))
    add("report", commands.print_report, content)
    add("lengths", commands.print_lengths, content)
    nlu = sub.add_parser("nlu", help="Rasa NLU").add_subparsers(dest="nlu", required=True)
    add("install", commands.install_nlu, nlu)
    add("export", commands.export_training_data, nlu)
    add("train", commands.train_nlu, nlu).add_argument("--force", action="store_true")
    add("risk", commands.train_risk, nlu)
    add("serve", commands.serve_nlu, nlu)
    admin = sub.add_parser("admin", help="admin web tool").add_subparsers(
        dest="admin", required=True
    )
    add("serve", commands.serve_admin, admin)
    create_user = add("create-user", commands.create_admin_user, admin)
    create_user.add_argument("username")
    create_user.add_argument("--role", type=Role, choices=list(Role), default=Role.ADMIN)
    return top


def call(settings: Settings, args: argparse.Namespace) -> None:
    """Call the chosen command's function with its options as keyword arguments."""
    options = {
        name: value for name, value in vars(args).items() if name != HANDLER and name not in GROUPS
    }
    getattr(args, HANDLER)(settings, **options)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `primm` script."""
    try:
        settings = get_settings()
        configure_logging(settings.log_format)
        call(settings, parser(settings).parse_args(argv))
    except (
        SettingsError,
        SeedError,
        NotMigrated,
        runtime.RuntimeMissing,
        NotConfigured,
        UserError,
        VoiceError,
    ) as exc:
        raise SystemExit(f"primm: {exc}") from exc
