# syntax=docker/dockerfile:1.7
# earshot: one static binary (no cgo) on a distroless base, running as non-root, with the
# SQLite database on the /data volume.
#
#   docker build -t earshot --build-arg VERSION=1.4.0 --build-arg REVISION=$(git rev-parse --short HEAD) .
#   docker run -d --name earshot -p 8080:8080 -v earshot-data:/data \
#     -e EARSHOT_API_TOKEN=… -e TELEGRAM_BOT_TOKEN=… earshot
#
# `docker run --rm earshot version` prints the stamped version and commit.
#
# /data belongs to the image's user, nonroot (UID 65532, GID 65532). A named volume inherits
# that; a bind mount (-v /srv/earshot:/data) keeps the host directory's owner, so give it
# to that UID first: sudo chown 65532:65532 /srv/earshot
#
# Mount your own configuration (team, surveys, standards) over /etc/earshot/config.yaml:
#   -v $PWD/config.yaml:/etc/earshot/config.yaml:ro
# Inside a container http.listen must be 0.0.0.0:8080 (not the default 127.0.0.1:8080),
# or nothing outside the container, not even `docker run -p`, can reach the API.

FROM golang:1.26 AS build
# The version and commit stamped into the binary (earshot version, earshot_build_info).
ARG VERSION=devel
ARG REVISION=
WORKDIR /src
# Modules first: this layer is rebuilt only when go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The same command the tests build with (cmd/earshot/serve_test.go checks they agree).
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.revision=${REVISION}" -o /out/earshot ./cmd/earshot
# /data exists in the image owned by nonroot (65532), so a new named volume mounted there
# inherits that owner and the service can create its database.
RUN mkdir -p /out/data

# distroless/static rather than scratch: it already has CA certificates (for the platforms'
# HTTPS APIs), /etc/passwd with the nonroot user, tzdata, and nothing else (no shell, no
# package manager). The binary embeds tzdata too (time/tzdata), so business time zones load.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=devel
ARG REVISION=
LABEL org.opencontainers.image.title="earshot" \
      org.opencontainers.image.description="Chat-bot surveys and complaints on Telegram, Slack and Discord, with a weekly digest for the owners" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/static-debian12:nonroot"
COPY --from=build /out/earshot /earshot
COPY --from=build --chown=65532:65532 /out/data /data
# The built-in configuration: secrets from the environment, the database on the volume.
COPY <<'EOF' /etc/earshot/config.yaml
# earshot's container configuration. Mount your own file here to add the team, surveys and
# standards; keep http.listen at 0.0.0.0:8080 (on 127.0.0.1 nothing outside the container
# can reach it, and serve warns at start) and storage.path under /data. Set
# EARSHOT_METRICS_LISTEN (say 0.0.0.0:9090, not published) to move /metrics off the public port.
storage: {driver: sqlite, path: /data/earshot.db}
http: {listen: "0.0.0.0:8080", api_token: "${EARSHOT_API_TOKEN}", public_url: "${EARSHOT_PUBLIC_URL}", metrics_listen: "${EARSHOT_METRICS_LISTEN}"}
log: {format: json, level: info}
telegram: {token: "${TELEGRAM_BOT_TOKEN}", webhook_secret: "${TELEGRAM_WEBHOOK_SECRET}"}
slack: {bot_token: "${SLACK_BOT_TOKEN}", app_token: "${SLACK_APP_TOKEN}", signing_secret: "${SLACK_SIGNING_SECRET}"}
discord: {token: "${DISCORD_BOT_TOKEN}", application_id: "${DISCORD_APPLICATION_ID}", public_key: "${DISCORD_PUBLIC_KEY}"}
EOF
# Commands run in the container (earshot health, docker exec … earshot complaints) find the
# configuration here when no --config is given.
ENV EARSHOT_CONFIG=/etc/earshot/config.yaml
USER nonroot:nonroot
WORKDIR /data
VOLUME /data
EXPOSE 8080
# The base has no curl: the binary asks its own /healthz on http.listen.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/earshot", "health"]
ENTRYPOINT ["/earshot"]
CMD ["serve", "--config", "/etc/earshot/config.yaml"]
