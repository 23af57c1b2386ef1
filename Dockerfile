# syntax=docker/dockerfile:1
# chartkeeper as a container: `docker run IMAGE run` captures once, `docker run IMAGE serve`
# (the default) runs the schedule, the web UI and the API. Data lives in the /data volume.

# Build: compile the bundles with the dev tools (esbuild), which never reach the final image.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY src ./src
# Source maps and the bench are for developers; the package leaves them out too.
RUN npm run build \
  && rm -rf dist/bench \
  && find dist -name '*.map' -delete

# Production dependencies only; better-sqlite3's native addon is fetched or compiled here.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
  && npm rebuild better-sqlite3 \
  && npm cache clean --force

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    CHARTKEEPER_STORE=/data/chartkeeper.db \
    CHARTKEEPER_OUTBOX=/data/outbox \
    CHARTKEEPER_INBOX=/data/inbox \
    CHARTKEEPER_HOST=0.0.0.0 \
    CHARTKEEPER_PORT=8080 \
    XDG_CACHE_HOME=/data/cache \
    XDG_CONFIG_HOME=/data/config
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY --from=build /src/dist ./dist
RUN ln -s /app/bin/chartkeeper.cjs /usr/local/bin/chartkeeper \
  && mkdir -p /data \
  && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers without the token; anything else needs CHARTKEEPER_UI_TOKEN (serve refuses to
# listen beyond loopback without one).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.CHARTKEEPER_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["chartkeeper"]
CMD ["serve"]
