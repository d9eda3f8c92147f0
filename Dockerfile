# syntax=docker/dockerfile:1
# Production image on Node.js 24 (the current LTS; Node 20 reached its end of life in April 2026):
# build in one stage, run from a slim, non-root one that holds no compiler, no dev package and
# no source. tests/deploy/release.test.ts rebuilds the final stage's layout from the COPY lines
# below and starts it, so keep them one source per line.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Toolchain for better-sqlite3's native addon when no prebuilt binary is reachable.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY widget ./widget
COPY console ./console
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
# SEED_DEMO=false: no demo site named after a real commune in a production database.
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATABASE_PATH=/data/ykien.db \
    SEED_DEMO=false
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
COPY --chown=root:root package-lock.json ./
COPY --chown=root:root migrations ./migrations
COPY --chown=root:root scripts/start.mjs ./scripts/start.mjs
# The CLI on PATH, for `docker compose exec ykien ykien keys create …`; the service user owns
# only /data, so nothing under /app can be changed by the running service.
RUN ln -s /app/dist/cli.js /usr/local/bin/ykien \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node directly (exec form), which finishes requests and closes the database;
# give it more than twice SHUTDOWN_TIMEOUT_MS (docker stop -t, stop_grace_period in compose).
# A 256 MB old generation (live heap is 20-50 MB) and 8 MB semi-spaces keep peak RSS under 150 MB at 50 connections: README, Performance.
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=8", "dist/server.js"]
