# Puolesta: one image for the API (default), the outbox worker and the command line (decision 0020).
#   docker build -t puolesta .
#   docker run -e DATABASE_URL=… -e PUOLESTA_OIDC_… puolesta                          # the API on :3000
#   docker run … puolesta packages/server/dist/worker-main.js                         # the outbox worker
#   docker run … puolesta packages/server/dist/cli.js migrate                         # the migrations
# OpenTelemetry traces (decision 0018): the API with PUOLESTA_OTEL_ENABLED=true, OTEL_EXPORTER_OTLP_ENDPOINT=… and
#   NODE_OPTIONS="--conditions=puolesta-compiled --import ./packages/server/dist/telemetry/otel.js" (as the Kubernetes manifests set it).
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, tsc for the domain and the server, vite for the UI ------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY packages/domain/package.json packages/domain/
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
RUN npm ci --no-audit --no-fund
COPY packages/domain/ packages/domain/
COPY packages/server/src/ packages/server/src/
COPY packages/server/tsconfig.build.json packages/server/
COPY packages/web/ packages/web/
COPY fixtures/ fixtures/
RUN npm run build

# ---- runtime: production dependencies of the domain and the server, the compiled code, non-root ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--conditions=puolesta-compiled \
    HOST=0.0.0.0 \
    PORT=3000 \
    PUOLESTA_MODE=production \
    PUOLESTA_DATA_DIR=/tmp/puolesta-data
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/domain/package.json packages/domain/
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
RUN npm ci --omit=dev --no-audit --no-fund -w @puolesta/domain -w @puolesta/server \
 && npm cache clean --force
COPY --from=build /app/packages/domain/dist/ packages/domain/dist/
COPY --from=build /app/packages/server/dist/ packages/server/dist/
COPY --from=build /app/packages/web/dist/ packages/web/dist/
# The production start compares the database with the demo fixture (decision 0014).
COPY fixtures/ fixtures/
RUN groupadd --system --gid 10001 puolesta && useradd --system --uid 10001 --gid puolesta --no-create-home puolesta
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node"]
# The young generation at its full size from the start (decision 0018, third round; not allowed in NODE_OPTIONS).
CMD ["--min-semi-space-size=16", "packages/server/dist/main.js"]
