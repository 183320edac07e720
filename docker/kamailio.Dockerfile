# Debian's Kamailio 5.6, the package the integration tests run (scripts/install-test-deps.sh), for docker/compose.yml.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends kamailio && rm -rf /var/lib/apt/lists/*
