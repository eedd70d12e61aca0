# syntax=docker/dockerfile:1
# Two images from one file: `--target app` (Python 3.11: chat, bot, admin) and `--target nlu`
# (Python 3.10: Rasa 3.6.21 serving the model trained by `make model`). Both run as non-root.

FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/primm
COPY . .
RUN pip install --no-cache-dir -e . \
    && for po in locales/*/LC_MESSAGES/messages.po; do pybabel compile -D messages -i "$po" -o "${po%.po}.mo"; done \
    && useradd --system --create-home primm && mkdir -p var && chown primm var
USER primm
ENV DATABASE_URL=sqlite:////srv/primm/var/primm.db
CMD ["primm", "chat"]

FROM python:3.10-slim AS nlu
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH=/srv/primm
WORKDIR /srv/primm
COPY nlu/requirements.lock nlu/requirements.lock
RUN pip install --no-cache-dir --no-deps -r nlu/requirements.lock \
    && useradd --system --create-home rasa
COPY nlu/__init__.py nlu/__init__.py
COPY nlu/components nlu/components
COPY nlu/models nlu/models
USER rasa
EXPOSE 5005
CMD ["rasa", "run", "--enable-api", "--model", "nlu/models", "--interface", "0.0.0.0", "--port", "5005"]
