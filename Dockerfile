# ITSM Hub: the built distribution on a Java 17 runtime.
#
#   ./mvnw -B -q -DskipTests package          # lays out distribution/target/itsm-hub/
#   docker build -t itsm-hub .
#   docker run -p 8080:8080 \
#     -v /srv/itsm-hub/hub.yaml:/etc/itsm-hub/hub.yaml:ro \
#     -v itsm-hub-data:/opt/itsm-hub/data itsm-hub
#
# Without a mounted config the image runs the bundled config/hub.yaml (no tenants), listening on all
# interfaces. Relative paths in a config are taken from /opt/itsm-hub (./plugins, ./routes, ./data).
# Secrets come from the environment (`docker run -e ACME_FRESHDESK_API_KEY=...`, `${env:...}` in the
# config) or from mounted files (`${file:...}`).
FROM eclipse-temurin:17-jre

RUN groupadd --system itsmhub \
    && useradd --system --gid itsmhub --home-dir /opt/itsm-hub --no-create-home --shell /usr/sbin/nologin itsmhub

COPY distribution/target/itsm-hub/ /opt/itsm-hub/

# Leave out what running the hub in the build folder left behind (its store, expanded plugins); the
# hub expands the plugin zips itself, so plugins/ and data/ belong to its user.
RUN rm -rf /opt/itsm-hub/data \
    && find /opt/itsm-hub/plugins -mindepth 1 -maxdepth 1 ! -name '*.zip' -exec rm -rf {} + \
    && mkdir -p /opt/itsm-hub/data /etc/itsm-hub \
    && sed 's/^    bind: 127\.0\.0\.1/    bind: 0.0.0.0/' /opt/itsm-hub/config/hub.yaml > /etc/itsm-hub/hub.yaml \
    && chown -R itsmhub:itsmhub /opt/itsm-hub/data /opt/itsm-hub/plugins \
    && chmod 755 /opt/itsm-hub/bin/itsm-hub

USER itsmhub
WORKDIR /opt/itsm-hub
VOLUME ["/opt/itsm-hub/data"]
EXPOSE 8080
ENV JAVA_OPTS="-Xms64m -Xmx512m"

ENTRYPOINT ["/opt/itsm-hub/bin/itsm-hub"]
CMD ["run", "--config", "/etc/itsm-hub/hub.yaml"]
