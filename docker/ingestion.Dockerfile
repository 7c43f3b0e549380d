# The ingestion service images: one target per kind of service, one image per service.
#   docker build -f docker/ingestion.Dockerfile --target connector --build-arg SOURCE=pos -t shopware-pos .
#   docker build -f docker/ingestion.Dockerfile --target webhook --build-arg SERVICE=web-logs -t shopware-web-logs .
#   docker build -f docker/ingestion.Dockerfile --target simulator -t shopware-simulator .
# No secret is baked in: webhook secrets, API tokens and AWS credentials come from the environment
# (ECS task secrets / Lambda environment) at run time.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY pipeline pipeline
COPY transforms transforms
COPY kpi kpi
COPY batch-connectors batch-connectors
COPY api-gw-webhooks api-gw-webhooks
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim AS runtime
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SHOPWARE_LAKE=/data/lake
RUN useradd --create-home --uid 10001 shopware \
    && mkdir -p /data/lake \
    && chown -R shopware /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
WORKDIR /home/shopware
USER 10001
VOLUME ["/data"]

FROM runtime AS connector
ARG SOURCE=pos
ENV SOURCE=${SOURCE} \
    SHOPWARE_CONNECTOR_HEARTBEAT_FILE=/tmp/heartbeat
# Healthy while the scheduler beats at least every minute (it touches the file while it waits).
HEALTHCHECK --interval=60s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, sys, time; sys.exit(time.time() - os.path.getmtime('/tmp/heartbeat') > 180)"]
CMD ["sh", "-c", "exec python -m shopware.ingestion connector \"$SOURCE\""]

FROM runtime AS webhook
ARG SERVICE=web-logs
ENV SERVICE=${SERVICE} \
    PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/health\", timeout=3)"]
CMD ["sh", "-c", "exec python -m shopware.ingestion serve \"$SERVICE\" --host 0.0.0.0 --port \"$PORT\""]

FROM runtime AS simulator
EXPOSE 8070
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8070/health', timeout=3)"]
CMD ["python", "-m", "shopware.ingestion", "simulate", "source-api", "--host", "0.0.0.0", "--port", "8070"]
