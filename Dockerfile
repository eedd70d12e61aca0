# syntax=docker/dockerfile:1
# Two images from one file, both non-root:
#   --target app  Python 3.11: `primm bot`, `primm admin serve`, `primm chat`, migrations
#   --target nlu  Python 3.10: Rasa 3.6.21 serving a model trained here from the seed content
# compose.yaml builds and runs both on PostgreSQL.

FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/primm
COPY . .
RUN pip install --no-cache-dir . \
    && for po in locales/*/LC_MESSAGES/*.po; do \
         pybabel compile -D "$(basename "${po%.po}")" -i "$po" -o "${po%.po}.mo"; done \
    && useradd --system --create-home primm && mkdir -p var && chown primm var
USER primm
ENV DATABASE_URL=sqlite:////srv/primm/var/primm.db
EXPOSE 8000 8443 9108
CMD ["primm", "bot"]

# The training data is generated from the content base, as `primm nlu export` does anywhere.
FROM app AS training-data
RUN primm content load && primm nlu export

FROM python:3.10-slim AS nlu
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH=/srv/primm
WORKDIR /srv/primm
COPY nlu/requirements.lock nlu/requirements.lock
RUN pip install --no-cache-dir --no-deps -r nlu/requirements.lock \
    && useradd --system --create-home rasa
COPY nlu/__init__.py nlu/config.yml nlu/
COPY nlu/components nlu/components
COPY --from=training-data /srv/primm/nlu/data nlu/data
COPY --from=training-data /srv/primm/nlu/domain.yml nlu/domain.yml
RUN rasa train nlu --config nlu/config.yml --nlu nlu/data --domain nlu/domain.yml \
      --out nlu/models --fixed-model-name seed \
    && chown -R rasa nlu/models
# One OpenMP thread per server (as `nlu.threads` in config.yml); raise it on cores of its own.
ENV OMP_NUM_THREADS=1
USER rasa
EXPOSE 5005
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/status', timeout=3)"
CMD ["rasa", "run", "--enable-api", "--model", "nlu/models", "--interface", "0.0.0.0", "--port", "5005"]
