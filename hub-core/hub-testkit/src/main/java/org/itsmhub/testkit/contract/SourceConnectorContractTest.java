package org.itsmhub.testkit.contract;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * What every reading connector shares, checked against the vendor stubbed with WireMock through the
 * connector's real client: paging to the end, cursor resume, a first read starting at
 * {@link ReadRequest#since()} (in the vendor's own change filter, nothing changed earlier returned)
 * while a stored cursor wins over it, 401 not retried, 429 honouring {@code Retry-After}, 5xx
 * classified retriable, malformed bodies rejected with a clear error, secrets absent from logs and
 * errors, and a page holding poison records ({@link Poison}) read record by record: each poison one
 * in {@link Page#rejected()}, the good ones returned, the cursor moving on. A plugin's test extends one of the typed subclasses
 * ({@link TicketConnectorContractTest}, {@link FindingSourceContractTest},
 * {@link AssetSourceContractTest}) and says, in the vendor's own payloads, how to stub each
 * situation; the assertions stay the same for every vendor.
 *
 * @param <T> the canonical record the source reads
 */
public abstract class SourceConnectorContractTest<T> {

    /** The connection's credential in every contract test: must never be logged or thrown. */
    protected static final String SECRET = "contract-s3cret-5e1f0c2a9b";

    @RegisterExtension
    protected static final WireMockExtension VENDOR = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private Connector connector;
    private LogCapture logs;

    /**
     * The records a vendor sends that a connector must reject one by one, never failing the page: the
     * stub of each plugin writes them in the vendor's own shape.
     */
    public enum Poison {
        /** A record without the field the connector needs to place it (a ticket without {@code updated_at}). */
        MISSING_REQUIRED_FIELD,
        /** The id as a JSON type the vendor never sends there (a string for a numeric id, an object for a text id). */
        ID_OF_WRONG_TYPE,
        /** A date the connector cannot read ({@code "yesterday"}). */
        UNREADABLE_DATE,
        /** A {@code null} element in the array of records. */
        NULL_ELEMENT,
        /** A record holding a text of {@link #HUGE_TEXT_CHARS} characters (over 20 MiB). */
        HUGE_STRING,
        /**
         * For a source whose pages are whole files (a scan export): one such file that cannot be read,
         * rejected as one record while the later ones are read.
         */
        UNREADABLE_FILE;

        /** The length of the {@link #HUGE_STRING} text: 20 MiB and a bit, over Jackson's default limit. */
        public static final int HUGE_TEXT_CHARS = 20 * 1024 * 1024 + 17;

        /** The {@link #HUGE_STRING} text. */
        public static String hugeText() {
            return "A".repeat(HUGE_TEXT_CHARS);
        }

        /** The kinds a source of records (not of files) must survive. */
        public static List<Poison> ofRecords() {
            return List.of(MISSING_REQUIRED_FIELD, ID_OF_WRONG_TYPE, UNREADABLE_DATE, NULL_ELEMENT, HUGE_STRING);
        }
    }

    /** The factory under test (the plugin's own class, not loaded through PF4J). */
    protected abstract ConnectorFactory factory();

    /** Raw connection config pointing at {@code baseUrl}, with {@code secret} as its credential. */
    protected abstract Map<String, Object> connectionConfig(String baseUrl, String secret);

    /** One read of the source under test. */
    protected abstract Page<T> read(ReadRequest request);

    /** The vendor id of a record, to check that paging returns none twice. */
    protected abstract String idOf(T record);

    /**
     * Stubs the incremental read so that a first read ({@code cursor = null}) returns {@code total}
     * records in pages of about {@code pageSize}, with the vendor's real paging.
     */
    protected abstract void stubChangedRecords(int total, int pageSize);

    /** Asserts that the reads made from {@code cursor} ask only for what changed after its position. */
    protected abstract void assertResumedFrom(Cursor cursor, List<LoggedRequest> requests);

    /**
     * Stubs the vendor as it filters by change time: a read carrying the vendor's own change filter
     * for {@code since} gets what the vendor would return for it (records changed at or after
     * {@code since}, one of them exactly at it, and any the vendor's coarser precision lets through);
     * every other read gets those and records changed well before {@code since}, as a read of the
     * connector's default window would. Returns the ids of the records changed at or after
     * {@code since}. Sources that {@link #readsWholeState() read their whole state} need not override.
     */
    protected Set<String> stubChangedAround(Instant since) {
        throw new AssertionError(factory().id() + " reads changes: override stubChangedAround and "
                + "assertAskedForChangesSince, or readsWholeState when time does not bound its reads");
    }

    /** Asserts that the reads of a first read given {@code since} carried the vendor's filter for it. */
    protected void assertAskedForChangesSince(Instant since, List<LoggedRequest> requests) {
        throw new AssertionError(factory().id() + " reads changes: override assertAskedForChangesSince");
    }

    /**
     * Whether the source reads the vendor's whole current state on every cycle (backup job states,
     * device compliance), so time does not bound its reads and it ignores {@code since}; its
     * {@link Connector#firstReadStart} is then empty. False for a source of changes.
     */
    protected boolean readsWholeState() {
        return false;
    }

    /**
     * The start the since tests ask for: about 400 days back, so before every default window, and
     * 30 s into a minute, so a vendor filter with minute precision lets earlier records through.
     */
    protected Instant readSince() {
        return clock().instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(400)).plusSeconds(30);
    }

    /**
     * Stubs the read so that reading from {@code cursor = null} to the end meets good records and one
     * poison record of each of {@link #poisonKinds()}, in the vendor's real response shape (on one
     * page where the vendor pages records); returns the ids of the good records. A later read from
     * the last cursor must still be answered (with nothing new), as {@link #assertResumedFrom} expects.
     */
    protected Set<String> stubPageWithPoison() {
        throw new AssertionError(factory().id() + " reads records: override stubPageWithPoison (see Poison)");
    }

    /** The poison records {@link #stubPageWithPoison()} stubs, one rejected record each. */
    protected List<Poison> poisonKinds() {
        return Poison.ofRecords();
    }

    /** Stubs the read to answer with the vendor's real 401 body. */
    protected abstract void stubAuthenticationFailure();

    /** Stubs the read to answer 429 with {@code Retry-After: seconds} as the vendor sends it. */
    protected abstract void stubRateLimited(int seconds);

    /** Stubs the read to answer a 5xx as the vendor does. */
    protected abstract void stubServerError();

    /** Stubs the read to answer 200 with a body that is not the vendor's format. */
    protected abstract void stubMalformedBody();

    /** The connector under test; created once per test. */
    protected Connector connector() {
        return connector;
    }

    protected Clock clock() {
        return Clock.systemUTC();
    }

    /** Override to offer host services, e.g. {@code context.withService(CamelContext.class, camel)}. */
    protected TestConnectorContext context(TestConnectorContext context) {
        return context;
    }

    @BeforeEach
    void createConnector() {
        VENDOR.resetAll();
        logs = LogCapture.open();
        connector = factory().create(context(TestConnectorContext.of(factory(),
                connectionConfig(VENDOR.baseUrl(), SECRET), clock())));
    }

    @AfterEach
    void closeConnector() {
        connector.close();
        logs.close();
    }

    @Test
    void readsEveryPageToTheEnd() {
        stubChangedRecords(7, 3);

        List<T> all = readAll(null);

        assertThat(all).hasSize(7);
        assertThat(all).extracting(this::idOf).doesNotHaveDuplicates();
        assertThat(VENDOR.getAllServeEvents()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void resumesFromTheStoredCursor() {
        stubChangedRecords(4, 2);
        List<Page<T>> pages = readPages(null);
        Cursor stored = pages.get(pages.size() - 1).next();
        VENDOR.resetRequests();

        readPages(stored);

        assertResumedFrom(stored, requests());
    }

    @Test
    void aFirstReadReturnsWhatChangedSinceTheGivenStartAndNothingBefore() {
        Instant since = readSince();
        Instant now = clock().instant();
        if (readsWholeState()) {
            stubChangedRecords(4, 10);
            List<String> plain = readAll(null).stream().map(this::idOf).toList();
            List<String> plainUrls = requests().stream().map(LoggedRequest::getUrl).toList();
            VENDOR.resetRequests();

            List<String> given = readPages(null, Map.of(), since).stream()
                    .flatMap(p -> p.items().stream()).map(this::idOf).toList();

            assertThat(given).as("a source that reads its whole state ignores since").isNotEmpty()
                    .containsExactlyElementsOf(plain);
            assertThat(requests()).extracting(LoggedRequest::getUrl).as("no request but those of a read without since")
                    .isNotEmpty().isSubsetOf(plainUrls);
            assertThat(connector.firstReadStart(since, now)).as("no time bounds its reads").isEmpty();
            assertThat(connector.firstReadStart(null, now)).as("no time bounds its reads").isEmpty();
            return;
        }
        Set<String> changedSince = stubChangedAround(since);

        List<String> read = readPages(null, Map.of(), since).stream()
                .flatMap(p -> p.items().stream()).map(this::idOf).toList();

        assertThat(read).as("what changed at or after since, nothing changed before")
                .containsExactlyInAnyOrderElementsOf(changedSince);
        assertAskedForChangesSince(since, requests());
        assertThat(connector.firstReadStart(since, now)).as("a first read given since starts there").contains(since);
        assertThat(connector.firstReadStart(null, now)).as("without since, the connector's default start")
                .hasValueSatisfying(s -> assertThat(s).isBefore(now).isNotEqualTo(since));
    }

    @Test
    void aStoredCursorWinsOverSince() {
        stubChangedRecords(4, 2);
        List<Page<T>> pages = readPages(null);
        Cursor stored = pages.get(pages.size() - 1).next();
        VENDOR.resetRequests();

        readPages(stored, Map.of(), readSince());

        assertResumedFrom(stored, requests());
    }

    @Test
    void aPoisonRecordIsRejectedWhileTheRestOfThePageAndTheCursorGoOn() {
        Set<String> good = stubPageWithPoison();
        assertThat(good).as("the stub serves good records beside the poison ones").isNotEmpty();

        List<Page<T>> pages = readPages(null, Map.of(), null, 50);

        assertThat(pages.stream().flatMap(p -> p.items().stream()).map(this::idOf).toList())
                .as("the good records").containsExactlyInAnyOrderElementsOf(good);
        List<org.itsmhub.api.connector.RejectedRecord> rejected = pages.stream()
                .flatMap(p -> p.rejected().stream()).toList();
        assertThat(rejected).as("one rejected record per poison one: %s", poisonKinds()).hasSize(poisonKinds().size());
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.reason()).isNotBlank().doesNotContain("\n");
            assertThat(r.raw().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(org.itsmhub.api.connector.RejectedRecord.MAX_RAW_BYTES);
            assertThat(r.rawSize()).isPositive();
        });
        if (poisonKinds().contains(Poison.HUGE_STRING)) {
            assertThat(rejected).as("the record with the huge text, cut, with its size")
                    .anySatisfy(r -> assertThat(r.rawSize()).isGreaterThan(Poison.HUGE_TEXT_CHARS));
        }
        if (poisonKinds().contains(Poison.NULL_ELEMENT)) {
            assertThat(rejected).as("the null element").anySatisfy(r -> assertThat(r.raw()).isEqualTo("null"));
        }
        Cursor last = pages.get(pages.size() - 1).next();
        VENDOR.resetRequests();
        readPages(last);
        assertResumedFrom(last, requests());
    }

    @Test
    void authFailureIsNotRetriedAndNamesNoSecret() {
        stubAuthenticationFailure();

        Throwable thrown = catchThrowable(() -> read(new ReadRequest(null, Map.of(), 10)));

        assertThat(thrown).isInstanceOf(AuthenticationException.class);
        assertThat(thrown.getMessage()).doesNotContain(SECRET);
        assertThat(requests()).hasSize(1);
    }

    @Test
    void rateLimitIsRetriableAfterTheVendorsRetryAfter() {
        stubRateLimited(7);

        assertThatThrownBy(() -> read(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(RetriableException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
        assertThat(requests()).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriable() {
        stubServerError();

        assertThatThrownBy(() -> read(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(RetriableException.class);
    }

    @Test
    void aMalformedBodyIsRejectedWithAClearError() {
        stubMalformedBody();

        assertThatThrownBy(() -> read(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(DataMappingException.class)
                .satisfies(e -> assertThat(e.getMessage()).as("the error names the vendor")
                        .containsIgnoringCase(factory().id()));
    }

    @Test
    void secretsNeverAppearInLogsOrErrors() {
        stubChangedRecords(2, 10);
        readAll(null);
        stubAuthenticationFailure();
        Throwable thrown = catchThrowable(() -> read(new ReadRequest(null, Map.of(), 10)));
        connector.checkConnection();

        assertThat(logs.text()).doesNotContain(SECRET);
        assertThat(String.valueOf(thrown)).doesNotContain(SECRET);
    }

    protected List<T> readAll(Cursor from) {
        List<T> all = new ArrayList<>();
        readPages(from).forEach(p -> all.addAll(p.items()));
        return all;
    }

    protected List<Page<T>> readPages(Cursor from) {
        return readPages(from, Map.of());
    }

    protected List<Page<T>> readPages(Cursor from, Map<String, String> filter) {
        return readPages(from, filter, null);
    }

    /** Reads to the end as a sync does: {@code since} goes with every request, the cursor decides. */
    protected List<Page<T>> readPages(Cursor from, Map<String, String> filter, Instant since) {
        return readPages(from, filter, since, 3);
    }

    protected List<Page<T>> readPages(Cursor from, Map<String, String> filter, Instant since, int pageSize) {
        List<Page<T>> pages = new ArrayList<>();
        Cursor cursor = from;
        for (int guard = 0; guard < 100; guard++) {
            Page<T> page = read(new ReadRequest(cursor, filter, pageSize, since));
            pages.add(page);
            cursor = page.next();
            if (!page.hasMore()) {
                return pages;
            }
        }
        throw new AssertionError("still more pages after 100 reads: paging does not end");
    }

    protected List<LoggedRequest> requests() {
        return VENDOR.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }
}
