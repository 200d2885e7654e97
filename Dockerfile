# syntax=docker/dockerfile:1
# Images for compose.yaml:
#   app     - runs Lakestream's Deno tasks (setup, stream, web, faker, the bucket one-shot); Deno from npm, pinned
#   minio   - MinIO built from source at the pinned module version (MinIO publishes no community images any more;
#             the same version `deno task stack up` builds, see scripts/stack/config.ts)
#   connect - Kafka Connect (the Kafka image's own worker) with the Debezium plugins from Maven Central, resolved
#             by the same pinned scripts/stack/pom.xml as the local stack

FROM golang:1.26-bookworm AS minio-build
ARG MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
RUN CGO_ENABLED=0 go install github.com/minio/minio@${MINIO_VERSION}

FROM debian:bookworm-slim AS minio
COPY --from=minio-build /go/bin/minio /usr/local/bin/minio
RUN useradd --system --uid 1001 --home-dir /data minio && mkdir /data && chown minio /data
USER minio
EXPOSE 9000 9001
ENTRYPOINT ["minio"]
CMD ["server", "/data"]

FROM maven:3.9-eclipse-temurin-17 AS debezium-plugins
COPY scripts/stack/pom.xml /build/pom.xml
RUN mvn -B -q -f /build/pom.xml -Dstack.build=/build/target -Dstack.plugins=/plugins dependency:unpack

FROM apache/kafka:3.9.1 AS connect
COPY --from=debezium-plugins /plugins /opt/kafka/plugins
COPY scripts/stack/docker/connect-entrypoint.sh /opt/connect-entrypoint.sh
EXPOSE 8083
ENTRYPOINT ["/bin/bash", "/opt/connect-entrypoint.sh"]

FROM node:22-bookworm-slim AS app
RUN npm install -g deno@2.9.6 && deno --version
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1
WORKDIR /app
# Dependencies first, so that a code change does not download them again.
COPY deno.json deno.lock* ./
RUN deno install
COPY . .
# Cache each task's module graph at build time; a task whose entry point is missing fails when run.
RUN for f in scripts/setup/main.ts scripts/faker/main.ts pipeline/stream/main.ts web/main.ts \
      scripts/stack/create_bucket.ts; do if [ -f "$f" ]; then deno cache "$f" || exit 1; fi; done \
 && chown -R node:node /app /deno-dir
USER node
CMD ["deno", "task", "web"]
