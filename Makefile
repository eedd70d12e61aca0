# Two commands for a newcomer: `make run` (chat with the bot) and `make test` (the whole suite).
# Every target reuses what exists: nothing is reinstalled or retrained unless its inputs changed.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PRIMM := $(BIN)/primm
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
# The admin tool's interface (Italian and English) has its own domain, apart from the bot's.
ADMIN_CATALOGS := $(wildcard locales/*/LC_MESSAGES/admin.po)
COMPILED := $(CATALOGS:.po=.mo) $(ADMIN_CATALOGS:.po=.mo)

.PHONY: run test test-fast lint pytest fuzz setup model catalogs extract bench bench-bot bench-turn bench-broadcast bench-out-of-scope bench-followups bench-language bench-risk images stack-test clean

# Migrates, loads the seed content, trains if needed, starts Rasa, opens the chat.
run: setup
	$(PRIMM) run

# The tests train their own model on the seed, under build/test: the developer's data stays as is.
# The fuzz run inside `make test` sends 4,000 updates, to keep it within CI's time; `make fuzz` sends 10,000.
test: setup lint pytest
	$(MAKE) fuzz FUZZ_MESSAGES=4000

# The dialogue core's decisions and the renderers, on SQLite with fakes behind the core's
# Protocols: no PostgreSQL, Rasa or Chromium (tests/conftest.py marks the tests that need them).
test-fast: $(VENV)/.installed catalogs
	$(BIN)/pytest tests/dialogue tests/render -m "not rasa and not postgresql and not browser and not fuzz and not stack"

setup: $(VENV)/.installed catalogs
	$(PRIMM) nlu install

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

catalogs: $(COMPILED)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -D messages -i $< -o $@

locales/%/LC_MESSAGES/admin.mo: locales/%/LC_MESSAGES/admin.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -D admin -i $< -o $@

# Re-extract the template after changing strings, then update every catalog.
extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --width 100 --no-location --sort-output -o locales/messages.pot shared storage content nlu dialogue render bot broadcast primm
	$(BIN)/pybabel update -D messages -i locales/messages.pot -d locales --width 100 --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel extract -F babel-admin.cfg --no-location --sort-output -o locales/admin.pot admin
	$(BIN)/pybabel update -D admin -i locales/admin.pot -d locales --no-fuzzy-matching --ignore-obsolete

# Seed content into the SQLite database, generate training data, train if it changed.
model: setup
	$(PRIMM) content load
	$(PRIMM) nlu train

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: $(VENV)/.installed
	$(BIN)/pytest

# Generated updates (Hypothesis, fixed seed) through the bot on PostgreSQL, ten at a time.
FUZZ_MESSAGES ?= 10000
fuzz: $(VENV)/.installed
	PRIMM_FUZZ_MESSAGES=$(FUZZ_MESSAGES) $(BIN)/pytest -m fuzz

bench: model
	$(BIN)/python -m bench.nlu_eval

# Service-like questions the seed does not cover, in ten languages: how many get a wrong answer.
bench-out-of-scope: model
	$(BIN)/python -m bench.out_of_scope
	$(BIN)/python -m bench.search_fallback

# Short follow-ups after an answer ("how much?"), held out in ten languages: before and after.
bench-followups: model
	$(BIN)/python -m bench.followups

# The risk check: cross-validated recall and false alarms, then the held-out danger messages.
bench-risk: setup
	$(BIN)/python -m bench.risk

# Language detection on the seed questions, each asked by every other language's user.
bench-language: setup
	$(BIN)/python -m bench.language

# The bot as its own process under 50 simulated users (Bot API emulator, Rasa, seeded SQLite).
bench-bot: model
	$(BIN)/python -m bench.bot_load

# One turn's database statements and bot CPU, on SQLite; with BENCH_DATABASE_URL (an empty
# PostgreSQL database, which it seeds) on PostgreSQL too.
bench-turn: model
	$(BIN)/python -m bench.turn_cost
	$(if $(BENCH_DATABASE_URL),$(BIN)/python -m bench.turn_cost --database-url $(BENCH_DATABASE_URL))

# What the build made; var/ (the developer's database and logs) stays.
clean:
	rm -rf build nlu/data nlu/domain.yml nlu/models $(COMPILED)

# One announcement to 10,000 subscribers: faults injected, the sender killed and restarted halfway.
bench-broadcast: $(VENV)/.installed
	$(BIN)/python -m bench.broadcast

# Both production images with podman (Debian's podman, runc, mmdebstrap): not part of `make test`.
images:
	bash scripts/images.sh

# compose.yaml up with podman from the images, a smoke test through the containers, then down.
stack-test: images $(VENV)/.installed
	$(BIN)/pytest -m stack -s -p no:cacheprovider tests/test_compose.py
