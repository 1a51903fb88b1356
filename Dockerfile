# syntax=docker/dockerfile:1
# Zeitgeber: build everything, then keep only what the server needs at run time.

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles its native addon when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@10.34.9
WORKDIR /src
COPY . .
# deploy runs install scripts: better-sqlite3 must build its addon in /app (with --ignore-scripts the
# image starts with "Could not locate the bindings file").
RUN pnpm install --frozen-lockfile \
 && pnpm --filter @zeitgeber/web build \
 && pnpm --filter @zeitgeber/server build \
 && pnpm --filter @zeitgeber/server deploy --prod --legacy /app/server \
 && rm -rf /app/server/src /app/server/test /app/server/bench /app/server/crash \
 && mkdir -p /app/prisma /app/web \
 && cp -r prisma/migrations /app/prisma/migrations \
 && cp -r web/dist /app/web/dist

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATABASE_URL=file:/data/zeitgeber.db
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:3000/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=64", "server/dist/main.js"]
