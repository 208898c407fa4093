package org.itsmhub.runtime.testing;

import java.nio.file.Path;

import org.itsmhub.testkit.plugin.PluginZipBuilder;

/**
 * A small real plugin for runtime tests, compiled into a zip so its classes exist only there.
 *
 * <p>Connector {@code probe}: keys {@code api.key} (secret, required) and {@code healthy} (boolean,
 * default true). Its live check logs its own API key (a careless plugin: the hub must mask it) and
 * reports a problem when {@code healthy} is false. As a webhook parser it accepts a call whose
 * {@code X-Probe-Secret} header equals the API key and whose body is {@code id=<ticket id>} or
 * {@code {"id": "<ticket id>"}}; any other body is malformed. Header {@code X-Probe-Delivery} is its
 * delivery id. With {@code check.url} set, its live check also GETs that URL (waiting at
 * most ten seconds), so a stubbed vendor can make the check hang. With {@code vendor.url} set, reads
 * GET and creates POST {@code <vendor.url>/tickets} first, authenticated like Freshdesk
 * ({@code Basic base64(key:X)}, reported to the host) with the key also URL-encoded in a form body;
 * a 4xx answer fails the read (authentication), the create (data) or the live check (a problem
 * against {@code api.key}), quoting the vendor's body and logging it carelessly.
 */
public final class ProbePlugin {

    private ProbePlugin() {
    }

    public static Path buildInto(Path pluginsDir) {
        return PluginZipBuilder.plugin("probe")
                .version("1.0.0")
                .pluginClass("test.probe.ProbePlugin")
                .description("Probe connector for hub runtime tests")
                .source("test.probe.ProbePlugin", """
                        package test.probe;
                        public class ProbePlugin extends org.pf4j.Plugin {
                        }
                        """)
                .source("test.probe.ProbeFactory", """
                        package test.probe;

                        import org.itsmhub.api.config.ConfigDef;
                        import org.itsmhub.api.config.ConfigType;
                        import org.itsmhub.api.connector.Connector;
                        import org.itsmhub.api.connector.ConnectorContext;
                        import org.itsmhub.api.connector.ConnectorFactory;
                        import org.pf4j.Extension;

                        @Extension
                        public class ProbeFactory implements ConnectorFactory {
                            static final ConfigDef CONFIG = new ConfigDef()
                                    .define("api.key", ConfigType.SECRET, "The probe's API key.")
                                    .defineOptional("healthy", ConfigType.BOOLEAN, true, "Whether the live check passes.")
                                    .defineOptional("tickets", ConfigType.LIST, null, "Titles of the tickets it reads.")
                                    .defineOptional("reject.file", ConfigType.STRING, null, "While this file exists, creates are rejected.")
                                    .defineOptional("check.url", ConfigType.STRING, null, "A URL the live check GETs.")
                                    .defineOptional("vendor.url", ConfigType.STRING, null, "A vendor reads and creates call first.");
                            public String id() { return "probe"; }
                            // a stale override, as older plugins have: the descriptor's 1.0.0 must win everywhere
                            public String version() { return "0.0.9-stale"; }
                            public String description() { return "Probe connector for hub runtime tests"; }
                            public ConfigDef configDef() { return CONFIG; }
                            public Class<? extends Connector> connectorType() { return ProbeConnector.class; }
                            public Connector create(ConnectorContext context) { return new ProbeConnector(context); }
                        }
                        """)
                .source("test.probe.ProbeConnector", """
                        package test.probe;

                        import java.nio.charset.StandardCharsets;
                        import java.security.MessageDigest;
                        import java.util.List;

                        import org.itsmhub.api.config.ConfigProblem;
                        import org.itsmhub.api.connector.ChangeHint;
                        import org.itsmhub.api.connector.Connector;
                        import org.itsmhub.api.connector.ConnectorContext;
                        import org.itsmhub.api.connector.Cursor;
                        import org.itsmhub.api.connector.Page;
                        import org.itsmhub.api.connector.ReadRequest;
                        import org.itsmhub.api.connector.TicketSink;
                        import org.itsmhub.api.connector.TicketSource;
                        import org.itsmhub.api.connector.WebhookParser;
                        import org.itsmhub.api.connector.WebhookRequest;
                        import org.itsmhub.api.model.Comment;
                        import org.itsmhub.api.model.ExternalRef;
                        import org.itsmhub.api.model.Ticket;
                        import org.itsmhub.api.model.TicketStatus;
                        import org.itsmhub.api.error.AuthenticationException;
                        import org.itsmhub.api.error.DataMappingException;
                        import org.slf4j.Logger;
                        import org.slf4j.LoggerFactory;

                        public class ProbeConnector implements Connector, WebhookParser, TicketSource, TicketSink {
                            private final java.util.Map<String, Ticket> created = new java.util.concurrent.ConcurrentHashMap<>();
                            private static final Logger LOG = LoggerFactory.getLogger(ProbeConnector.class);
                            private final ConnectorContext context;

                            ProbeConnector(ConnectorContext context) { this.context = context; }

                            private String key() { return context.config().getSecret("api.key").reveal(); }

                            public List<ConfigProblem> checkConnection() {
                                LOG.info("probe {} connecting with key {} (Authorization: Bearer {})",
                                        context.connection(), key(), key());
                                String vendorFailure = callVendor("GET");
                                if (vendorFailure != null) {
                                    return List.of(new ConfigProblem("api.key", vendorFailure));
                                }
                                String checkUrl = context.config().findString("check.url").orElse(null);
                                if (checkUrl != null) {
                                    try {
                                        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                                java.net.URI.create(checkUrl)).timeout(java.time.Duration.ofSeconds(10)).build(),
                                                java.net.http.HttpResponse.BodyHandlers.discarding());
                                    } catch (java.io.IOException e) {
                                        return List.of(new ConfigProblem("check.url", "no answer: " + e));
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                        return List.of(new ConfigProblem("check.url", "interrupted"));
                                    }
                                }
                                return context.config().getBoolean("healthy") ? List.of()
                                        : List.of(new ConfigProblem("api.key", "the probe rejected the key"));
                            }

                            public void verify(WebhookRequest request) {
                                byte[] given = request.header("X-Probe-Secret").orElse("").getBytes(StandardCharsets.UTF_8);
                                if (!MessageDigest.isEqual(given, key().getBytes(StandardCharsets.UTF_8))) {
                                    throw new AuthenticationException("bad probe secret");
                                }
                            }

                            public java.util.Optional<String> deliveryId(WebhookRequest request) {
                                return request.header("X-Probe-Delivery");
                            }

                            public List<ChangeHint> parse(WebhookRequest request) {
                                String body = request.bodyAsString();
                                String compact = body.replace(" ", "");
                                if (compact.startsWith("{'id':'".replace((char) 39, '"')) && compact.endsWith("'}".replace((char) 39, '"'))) {
                                    String id = compact.substring(7, compact.length() - 2);
                                    return List.of(new ChangeHint(ChangeHint.Kind.TICKET, id, "probe", null));
                                }
                                if (!body.startsWith("id=")) {
                                    throw new DataMappingException("probe webhook body must be id=<ticket id>");
                                }
                                return List.of(new ChangeHint(ChangeHint.Kind.TICKET, body.substring(3).trim(), "probe", null));
                            }

                            private String callVendor(String method) {
                                String url = context.config().findString("vendor.url").orElse(null);
                                if (url == null) {
                                    return null;
                                }
                                String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(
                                        (key() + ":X").getBytes(StandardCharsets.UTF_8));
                                context.credentialSent(auth);
                                String form = "key=" + java.net.URLEncoder.encode(key(), StandardCharsets.UTF_8);
                                try {
                                    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/tickets"))
                                                    .header("Authorization", auth)
                                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                                    .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(form))
                                                    .timeout(java.time.Duration.ofSeconds(10)).build(),
                                            java.net.http.HttpResponse.BodyHandlers.ofString());
                                    if (response.statusCode() < 400) {
                                        return null;
                                    }
                                    LOG.warn("probe vendor answered {}: {}", response.statusCode(), response.body());
                                    return "HTTP " + response.statusCode() + ": " + response.body();
                                } catch (java.io.IOException e) {
                                    return "no answer: " + e;
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                    return "interrupted";
                                }
                            }

                            public Page<Ticket> readChanges(ReadRequest request) {
                                String failure = callVendor("GET");
                                if (failure != null) {
                                    throw new AuthenticationException(failure);
                                }
                                List<String> titles = context.config().getList("tickets");
                                int from = request.cursor() == null ? 0 : Integer.parseInt(request.cursor().value());
                                int to = Math.min(titles.size(), from + request.pageSize());
                                List<Ticket> page = new java.util.ArrayList<>();
                                List<org.itsmhub.api.connector.RejectedRecord> rejected = new java.util.ArrayList<>();
                                for (int i = from; i < to; i++) {
                                    if (titles.get(i).startsWith("!")) { // a title the probe cannot read
                                        rejected.add(org.itsmhub.api.connector.RejectedRecord.of("P-" + i,
                                                "probe cannot read " + titles.get(i), "{\\"title\\":\\"" + titles.get(i) + "\\"}"));
                                    } else {
                                        page.add(ticket(i, titles.get(i)));
                                    }
                                }
                                return new Page<>(page, Cursor.of(Integer.toString(to)), to < titles.size(), rejected);
                            }

                            private Ticket ticket(int i, String title) {
                                return Ticket.builder().ref(ExternalRef.of("probe", context.connection(), "P-" + i))
                                        .title(title).status(TicketStatus.OPEN).build();
                            }

                            public java.util.Optional<Ticket> fetch(String id) {
                                if (created.containsKey(id)) {
                                    return java.util.Optional.of(created.get(id));
                                }
                                List<String> titles = context.config().getList("tickets");
                                for (int i = 0; i < titles.size(); i++) {
                                    if (id.equals("P-" + i)) {
                                        return java.util.Optional.of(ticket(i, titles.get(i)));
                                    }
                                }
                                return java.util.Optional.empty();
                            }

                            public ExternalRef create(Ticket ticket, String correlationId) {
                                String rejectFile = context.config().findString("reject.file").orElse(null);
                                if (rejectFile != null && java.nio.file.Files.exists(java.nio.file.Path.of(rejectFile))) {
                                    throw new DataMappingException("probe create ticket failed: HTTP 400 requester is required");
                                }
                                String failure = callVendor("POST");
                                if (failure != null) {
                                    throw new DataMappingException("probe create ticket failed: " + failure);
                                }
                                ExternalRef ref = ExternalRef.of("probe", context.connection(), "C-" + created.size());
                                created.put(ref.id(), ticket.toBuilder().ref(ref).correlationId(correlationId).build());
                                return ref;
                            }

                            public void update(String id, Ticket ticket, java.util.Set<org.itsmhub.api.model.TicketField> fields) {
                            }

                            public void changeStatus(String id, TicketStatus status, String note) {
                            }

                            public ExternalRef addComment(String ticketId, Comment comment) {
                                return ExternalRef.of("probe", context.connection(), "comment-" + ticketId);
                            }

                            public java.util.Optional<Ticket> findByCorrelationId(String correlationId) {
                                return created.values().stream().filter(t -> correlationId.equals(t.correlationId())).findFirst();
                            }

                            public List<Comment> comments(String ticketId) {
                                return List.of();
                            }

                            public void close() { }
                        }
                        """)
                .buildInto(pluginsDir);
    }
}
