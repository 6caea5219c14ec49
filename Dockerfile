# syntax=docker/dockerfile:1
#
# dxgraph — the GraphQL gateway over AWS Direct Connect, and its simulator dxsim — as a container.
#
#   docker build -t dxgraph .
#   docker run --rm -p 8000:8000 -e DXGRAPH_API_KEYS='[{"name": "ops", "sha256": "<hex>",
#       "scopes": ["read", "write"]}]' dxgraph                       # embedded dxsim, demo data
#   docker run --rm -p 8000:8000 -e DXGRAPH_UPSTREAM=aws -e DXGRAPH_REGIONS=us-east-1,eu-west-1 \
#       -e DXGRAPH_API_KEYS=... dxgraph           # real AWS, credentials from the task/instance role
#   docker run --rm -p 8799:8799 dxgraph sim --host 0.0.0.0 --seed demo   # the simulator alone
#
# Settings come only from the environment: DXGRAPH_* (every one is in the README's settings
# table); AWS credentials from the standard chain (an instance or task role, AWS_* variables, a
# mounted profile). Nothing secret is baked into the image.
#
# The gateway binds 0.0.0.0 inside the container. On a non-loopback address `dxgraph serve`
# REFUSES TO START when no authentication is configured (neither DXGRAPH_API_KEYS nor
# DXGRAPH_JWT_JWKS_URL / DXGRAPH_JWT_PUBLIC_KEY), unless DXGRAPH_INSECURE=true — only for a demo
# on a network you control, never in front of a real account.
#
# tests/test_packaging.py builds the wheel as the builder stage does, installs the runtime lock
# and the wheel as the final stage does into a fresh virtualenv, starts it and runs the HEALTHCHECK
# below; it also checks this file's rules (non-root user, health check, no dev extras, settings
# only by env, every dependency from the hash-locked requirements/run.txt).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# -- builder: the project as one wheel (pure Python; the vendored GraphiQL assets inside) --------
FROM ${PYTHON_IMAGE} AS builder
WORKDIR /src
COPY pyproject.toml README.md ./
COPY dxsim ./dxsim
COPY gql ./gql
COPY resolvers ./resolvers
RUN pip wheel --no-deps --no-cache-dir --wheel-dir /wheels .

# -- runtime: the locked dependencies, then the wheel alone (no dev extras, no build tools) ------
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# requirements/run.txt (`make lock`) pins every runtime dependency with its hashes: pip installs
# exactly those files or fails. Its own layer, so a code change reuses it.
RUN --mount=type=bind,source=requirements,target=/requirements \
    pip install --no-cache-dir --require-hashes -r /requirements/run.txt
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-deps /wheels/dxgraph-*.whl
RUN groupadd --system --gid 10001 dxgraph \
    && useradd --system --uid 10001 --gid dxgraph --home-dir /var/lib/dxgraph --create-home \
       --shell /usr/sbin/nologin dxgraph
WORKDIR /var/lib/dxgraph
# The embedded simulator keeps its state here (mount a volume to keep it across containers).
ENV DXGRAPH_PORT=8000 \
    DXGRAPH_SIM_STATE_DIR=/var/lib/dxgraph
USER 10001:10001
EXPOSE 8000
# Process alive and serving: /healthz (readiness, with the upstream and the cache: /readyz).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('DXGRAPH_PORT', '8000') + '/healthz', timeout=4)"]
ENTRYPOINT ["dxgraph"]
CMD ["serve", "--host", "0.0.0.0"]
