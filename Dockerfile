# ossemu: a local Alibaba Cloud OSS emulator, as a CI service container.
# Starts with no arguments; configured only by OSSEMU_* environment variables (see README).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY . .
# npm ci compiles TypeScript (the prepare script); then drop what only building needed.
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    OSSEMU_CONTAINER=1 \
    OSSEMU_HOST=0.0.0.0 \
    OSSEMU_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/fixtures ./fixtures
# In memory unless a volume or folder is mounted at /data (Docker's anonymous volume does not count).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 CMD ["node", "bin/healthcheck.js"]
CMD ["node", "bin/ossemu.js"]
