# syntax=docker/dockerfile:1
# Two images from one file, both non-root:
#   --target app  Python 3.11: `primm bot`, `primm admin serve`, `primm chat`, migrations
#   --target nlu  Python 3.10: Rasa 3.6.21 serving a model trained here from the seed content
# compose.yaml builds and runs both on PostgreSQL.

FROM python:3.11-slim AS app
# A build behind a proxy that re-signs TLS passes its CA bundle (not kept in the image).
ARG PIP_CERT
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/primm
# "🔊 Listen": espeak-ng speaks, opusenc makes the Ogg/Opus file Telegram's sendVoice takes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng opus-tools \
    && rm -rf /var/lib/apt/lists/*
COPY . .
# Installed in place: the app reads its migrations, catalogs, seed and templates from this tree.
RUN pip install --no-cache-dir --editable . \
    && for po in locales/*/LC_MESSAGES/*.po; do \
         pybabel compile -D "$(basename "${po%.po}")" -i "$po" -o "${po%.po}.mo"; done \
    && primm nlu risk \
    && useradd --system --create-home primm && mkdir -p var/voice && chown -R primm var
USER primm
ENV DATABASE_URL=sqlite:////srv/primm/var/primm.db
EXPOSE 8000 8443 9108
CMD ["primm", "bot"]

# The training data is generated from the content base, as `primm nlu export` does anywhere.
FROM app AS training-data
USER root
RUN primm content load && primm nlu export

FROM python:3.10-slim AS nlu
ARG PIP_CERT
# No training cache: a retraining changes the examples every component reads, so it would only
# fill the image and the server's disk.
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 RASA_MAX_CACHE_SIZE=0 \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH=/srv/primm
WORKDIR /srv/primm
COPY nlu/requirements.lock nlu/requirements.lock
# The libraries' own test suites are not needed to serve or train (170 MB).
RUN pip install --no-cache-dir --no-deps -r nlu/requirements.lock \
    && find /usr/local/lib/python3.10/site-packages -depth -type d -name tests -prune \
         -exec rm -rf {} + \
    && useradd --system --create-home rasa
COPY nlu/__init__.py nlu/config.yml nlu/
COPY nlu/components nlu/components
COPY --from=training-data /srv/primm/nlu/data nlu/data
COPY --from=training-data /srv/primm/nlu/domain.yml nlu/domain.yml
# The seed's model; `models` is a volume in compose, where the admin tool's retraining adds newer
# ones (Rasa's POST /model/train saves there) and `rasa run` starts with the newest.
RUN rasa train nlu --config nlu/config.yml --nlu nlu/data --domain nlu/domain.yml \
      --out models --fixed-model-name seed \
    && chown -R rasa models
# One OpenMP thread per server (as `nlu.threads` in config.yml); raise it on cores of its own.
ENV OMP_NUM_THREADS=1
USER rasa
EXPOSE 5005
CMD ["rasa", "run", "--enable-api", "--model", "models", "--interface", "0.0.0.0", "--port", "5005"]
