package kami.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kami.support.Http;
import kami.support.KamiProcess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Crash test: Kami is killed with -9 {@value #KILLS} times while {@value #THREADS} clients send a burst of
 * transfers over the admin API, and restarted on the same data directory each time (the killed JVM's PostgreSQL
 * keeps running and the restart stops it). The transfers are a fixed list: posted transfers between funded limited
 * wallets and merchant balances, a funding asset and a 16-shard hot account, holds that are posted (wholly or in
 * part), voided or left open, and overdrafts that are refused whatever the order. The wallets are funded before
 * the burst with more than all their debits together, so which transfers are accepted does not depend on the
 * order in which the clients happen to send them, and the final balances are known in advance.
 *
 * <p>After each restart every client first resends the request it lost (applied now, or answered as a replay if
 * it had committed before the kill), then resends a sample of requests it had answers for, which must be replays
 * with the same fields. At the end the ledger reconciles, every account's balances are the sums of the list with
 * every transfer applied once, every transfer id reads back as sent, and the database holds exactly one row per
 * applied transfer and resolution.
 */
class LedgerCrashIT {

    static final int OPERATIONS = 3_000;
    static final int THREADS = 24;
    static final int KILLS = 3;
    static final int WALLETS = 8;
    static final int MERCHANTS = 4;
    static final int REPLAYS_PER_CLIENT_AFTER_RESTART = 10;
    static final long WALLET_FUNDING_MINOR = 5_000_000;
    static final long MERCHANT_FUNDING_MINOR = 1_000_000;
    static final long OVERDRAFT_MINOR = 1_000_000_000_000L;
    static final String CURRENCY = "CNY";
    static final String TRANSFERS = "/api/admin/ledger/transfers";
    static final Duration BURST_TIMEOUT = Duration.ofMinutes(5);

    /** What a request is: a posted transfer, a hold, a hold's posting or voiding, or a refused overdraft. */
    enum Kind { POSTED, HOLD, POST, VOID, OVERDRAFT }

    /**
     * One request of the list and what it must leave behind.
     *
     * @param fields the fields the transfer must be answered and read back with
     * @param resolution for a hold, how it must end: POSTED, VOIDED or null (still open)
     */
    record Step(Kind kind, String transferId, String path, String body, Map<String, Object> fields,
            @Nullable String resolution) {

        boolean applies() {
            return kind != Kind.OVERDRAFT;
        }
    }

    /** The running totals an account must end with. */
    static final class Totals {
        long debitsPosted;
        long creditsPosted;
        long debitsPending;
        long creditsPending;
        /** Everything the list could ever debit it with (posted and held), to prove the order cannot matter. */
        long debitsAtMost;
        long creditsFunded;
    }

    private final Map<Long, Totals> expected = new LinkedHashMap<>();
    private final Queue<String> surprises = new ConcurrentLinkedQueue<>();
    /** The first answer for every transfer id, without {@code resolution} (a hold's changes when resolved). */
    private final Map<String, JsonNode> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> created = new ConcurrentHashMap<>();
    private final AtomicInteger firstAnswers = new AtomicInteger();
    private final AtomicInteger lostAnswers = new AtomicInteger();
    private final AtomicInteger lostButCommitted = new AtomicInteger();
    private final AtomicInteger replays = new AtomicInteger();

    @Test
    void transfersInterruptedByKillsApplyOnceAndTheLedgerStillReconciles() throws Exception {
        long started = System.nanoTime();
        Path dataDir = Files.createTempDirectory("kami-ledger-crash-");
        int databasePort = KamiProcess.freePort();
        Path log = Path.of("target", "ledger-crash-it", "kami.log");
        Files.deleteIfExists(log);
        Server server = new Server(dataDir, databasePort, log);
        boolean passed = false;
        try {
            Http http = server.awaitUp(0).http();
            long funding = open(http, "funding", "platform", "ASSET", null, 1);
            List<Long> wallets = new ArrayList<>();
            for (int i = 0; i < WALLETS; i++) {
                wallets.add(open(http, "wallet-" + i, "user-" + i, "LIABILITY", "DEBITS_MUST_NOT_EXCEED_CREDITS", 1));
            }
            List<Long> merchants = new ArrayList<>();
            for (int i = 0; i < MERCHANTS; i++) {
                merchants.add(open(http, "merchant-" + i + ".balance", "merchant-" + i, "LIABILITY",
                        "DEBITS_MUST_NOT_EXCEED_CREDITS", 1));
            }
            long empty = open(http, "wallet-empty", "user-empty", "LIABILITY", "DEBITS_MUST_NOT_EXCEED_CREDITS", 1);
            long hot = open(http, "platform.fees", "platform", "REVENUE", null, 16);
            concat(List.of(funding, empty, hot), wallets, merchants).forEach(this::totals);

            List<Step> fundings = new ArrayList<>();
            wallets.forEach(w -> fundings.add(posted("fund-" + w, funding, w, WALLET_FUNDING_MINOR, "funding")));
            merchants.forEach(m -> fundings.add(posted("fund-" + m, funding, m, MERCHANT_FUNDING_MINOR, "float")));
            List<List<Step>> operations = operations(funding, wallets, merchants, empty, hot);
            for (long limited : concat(wallets, merchants, List.of(empty))) {
                Totals totals = expected.get(limited);
                assertThat(totals.debitsAtMost).as("account %d can never be overdrawn by the list, whatever the "
                        + "order", limited).isLessThanOrEqualTo(totals.creditsFunded);
            }
            Client funder = new Client(server, new Random(0));
            fundings.forEach(funder::first);

            int steps = operations.stream().mapToInt(List::size).sum();
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> clients = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                for (int t = 0; t < THREADS; t++) {
                    Client client = new Client(server, new Random(t + 1));
                    clients.add(pool.submit(() -> {
                        for (int n = next.getAndIncrement(); n < operations.size(); n = next.getAndIncrement()) {
                            for (Step step : operations.get(n)) {
                                client.replayAfterRestart();
                                client.first(step);
                            }
                        }
                        client.replayAfterRestart();
                        return null;
                    }));
                }
                int base = firstAnswers.get();
                for (int k = 1; k <= KILLS; k++) {
                    // Kill at 15 %, 40 % and 65 % of the burst: the clients are busy on every side of each kill.
                    awaitFirstAnswers(base + steps * (15 + 25 * (k - 1)) / 100, clients);
                    server.killAndRestart();
                }
                for (Future<?> client : clients) {
                    client.get(BURST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            }
            long burstMillis = (System.nanoTime() - started) / 1_000_000;

            List<Step> all = new ArrayList<>(fundings);
            operations.forEach(all::addAll);
            http = server.awaitUp(0).http();
            List<String> unreadable = readBack(http, all);
            JsonNode report = http.adminPost("/api/admin/ledger/reconciliation", "", "application/json").json();
            List<String> wrongBalances = new ArrayList<>();
            for (Map.Entry<Long, Totals> account : expected.entrySet()) {
                JsonNode read = http.adminGet("/api/admin/ledger/accounts/" + account.getKey()).json();
                Totals totals = account.getValue();
                List<Long> actual = List.of(read.get("debitsPostedMinor").asLong(),
                        read.get("creditsPostedMinor").asLong(), read.get("debitsPendingMinor").asLong(),
                        read.get("creditsPendingMinor").asLong());
                List<Long> want = List.of(totals.debitsPosted, totals.creditsPosted, totals.debitsPending,
                        totals.creditsPending);
                if (!actual.equals(want)) {
                    wrongBalances.add(read.get("code").asString() + " has " + actual + " instead of " + want);
                }
                if ("DEBITS_MUST_NOT_EXCEED_CREDITS".equals(read.get("limit").asString())
                        && actual.get(1) - actual.get(0) - actual.get(2) < 0) {
                    wrongBalances.add(read.get("code").asString() + " is below zero: " + read);
                }
            }
            long rows = all.stream().filter(Step::applies).count();
            long openHoldsWithTimeout = all.stream().filter(s -> s.kind() == Kind.HOLD && s.resolution() == null
                    && s.fields().get("timeoutSeconds") != null).count();
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("Ledger crash: %d operations, %d transfers and resolutions (%d rows) by %d threads; "
                    + "%d kills cut off %s requests in flight; %d answers lost (%d had committed before the kill); "
                    + "%d replays checked; burst %d ms, %d ms in all%n", OPERATIONS, steps, rows, THREADS, KILLS,
                    server.interruptedPerKill(), lostAnswers.get(), lostButCommitted.get(), replays.get(),
                    burstMillis, elapsedMillis);

            assertThat(surprises.size()).as("answers that break the ledger's promises; the first: %s",
                    surprises.stream().limit(20).toList()).isZero();
            assertThat(server.interruptedPerKill()).as("requests in flight when each kill landed").hasSize(KILLS)
                    .allSatisfy(interrupted -> assertThat(interrupted).isPositive());
            assertThat(created.values()).as("transfers answered 201 more than once")
                    .allSatisfy(times -> assertThat(times.get()).isEqualTo(1));
            assertThat(wrongBalances).as("balances that differ from the list applied once").isEmpty();
            assertThat(unreadable.size()).as("transfers that do not read back as sent; the first: %s",
                    unreadable.stream().limit(20).toList()).isZero();
            assertThat(report.get("ok").asBoolean()).as("reconciliation: %s", report).isTrue();
            assertThat(report.get("violations").size()).isZero();
            assertThat(queryLong(databasePort, "select count(*) from ledger_transfer")).isEqualTo(rows);
            assertThat(queryLong(databasePort, "select count(*) from (select transfer_id from ledger_transfer "
                    + "group by transfer_id having count(*) > 1) twice")).isZero();
            assertThat(queryLong(databasePort, "select count(*) from ledger_hold_expiry"))
                    .isEqualTo(openHoldsWithTimeout);
            assertThat(Pattern.compile("still holds").matcher(server.process().log()).results().count())
                    .as("restarts that found the killed JVM's PostgreSQL running").isEqualTo(KILLS);
            assertThat(replays.get()).isPositive();
            passed = true;
        } finally {
            server.stop();
        }
        if (passed) {
            deleteRecursively(dataDir);
        }
    }

    /**
     * The burst: one list of requests per operation, sent in order by one client. Deterministic (fixed seed), and
     * every expectation is recorded in {@link #expected} as the list is made.
     */
    private List<List<Step>> operations(long funding, List<Long> wallets, List<Long> merchants, long empty,
            long hot) {
        Random random = new Random(20_250_101);
        List<List<Step>> operations = new ArrayList<>();
        for (int n = 0; n < OPERATIONS; n++) {
            String id = "crash-" + n;
            String order = "order-" + n;
            long wallet = wallets.get(random.nextInt(wallets.size()));
            long merchant = merchants.get(random.nextInt(merchants.size()));
            long amount = 1 + random.nextInt(2_000);
            int dice = random.nextInt(100);
            if (dice < 55) {
                operations.add(List.of(posted(id, wallet, merchant, amount, order)));
            } else if (dice < 65) {
                operations.add(List.of(posted(id, wallet, hot, 1 + amount / 50, order + ".fee")));
            } else if (dice < 70) {
                operations.add(List.of(posted(id, hot, funding, amount, "payout-" + n)));
            } else if (dice < 75) {
                operations.add(List.of(posted(id, merchant, wallet, amount, order + ".refund")));
            } else if (dice < 97) {
                Long timeout = random.nextBoolean() ? 3_600L : null;
                String resolution = dice < 85 ? "POSTED" : dice < 93 ? "VOIDED" : null;
                Step hold = hold(id, wallet, merchant, amount, order, timeout, resolution);
                if (resolution == null) {
                    operations.add(List.of(hold));
                } else if (resolution.equals("POSTED")) {
                    Long part = random.nextBoolean() ? null : 1L + random.nextInt((int) amount);
                    operations.add(List.of(hold, post(hold, part)));
                } else {
                    operations.add(List.of(hold, voidHold(hold)));
                }
            } else {
                boolean fromEmpty = random.nextBoolean();
                operations.add(List.of(overdraft(id, fromEmpty ? empty : merchant, wallet,
                        fromEmpty ? amount : OVERDRAFT_MINOR, order)));
            }
        }
        return operations;
    }

    private Step posted(String id, long debit, long credit, long amount, String reference) {
        Map<String, Object> body = body(id, debit, credit, amount, reference);
        totals(debit).debitsPosted += amount;
        totals(debit).debitsAtMost += amount;
        totals(credit).creditsPosted += amount;
        if (id.startsWith("fund-")) {
            totals(credit).creditsFunded += amount;
        }
        return new Step(Kind.POSTED, id, TRANSFERS, Http.toJson(body), fields(body, "POSTED", null, null), null);
    }

    private Step hold(String id, long debit, long credit, long amount, String reference, @Nullable Long timeout,
            @Nullable String resolution) {
        Map<String, Object> body = body(id, debit, credit, amount, reference);
        body.put("pending", true);
        if (timeout != null) {
            body.put("timeoutSeconds", timeout);
        }
        totals(debit).debitsAtMost += amount;
        if (resolution == null) {
            totals(debit).debitsPending += amount;
            totals(credit).creditsPending += amount;
        }
        return new Step(Kind.HOLD, id, TRANSFERS, Http.toJson(body), fields(body, "PENDING", null, timeout),
                resolution);
    }

    private Step post(Step hold, @Nullable Long part) {
        long amount = part != null ? part : (Long) hold.fields().get("amountMinor");
        totals((Long) hold.fields().get("debitAccountId")).debitsPosted += amount;
        totals((Long) hold.fields().get("creditAccountId")).creditsPosted += amount;
        return resolution(Kind.POST, hold, "post", part == null ? "" : Http.toJson(Map.of("amountMinor", part)),
                amount, "POSTED");
    }

    private Step voidHold(Step hold) {
        return resolution(Kind.VOID, hold, "void", "", (Long) hold.fields().get("amountMinor"), "VOIDED");
    }

    private Step resolution(Kind kind, Step hold, String verb, String body, long amount, String status) {
        Map<String, Object> fields = new LinkedHashMap<>(hold.fields());
        fields.put("transferId", hold.transferId() + "." + verb);
        fields.put("amountMinor", amount);
        fields.put("status", status);
        fields.put("pendingTransferId", hold.transferId());
        fields.put("timeoutSeconds", null);
        return new Step(kind, hold.transferId() + "." + verb, TRANSFERS + "/" + hold.transferId() + "/" + verb, body,
                fields, null);
    }

    private Step overdraft(String id, long debit, long credit, long amount, String reference) {
        totals(debit);
        totals(credit);
        Map<String, Object> body = body(id, debit, credit, amount, reference);
        return new Step(Kind.OVERDRAFT, id, TRANSFERS, Http.toJson(body), Map.of(), null);
    }

    private static Map<String, Object> body(String id, long debit, long credit, long amount, String reference) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transferId", id);
        body.put("debitAccountId", debit);
        body.put("creditAccountId", credit);
        body.put("amountMinor", amount);
        body.put("currency", CURRENCY);
        body.put("reference", reference);
        return body;
    }

    private static Map<String, Object> fields(Map<String, Object> body, String status, @Nullable String pendingId,
            @Nullable Long timeout) {
        Map<String, Object> fields = new LinkedHashMap<>(body);
        fields.remove("pending");
        fields.put("status", status);
        fields.put("pendingTransferId", pendingId);
        fields.put("timeoutSeconds", timeout);
        return fields;
    }

    private Totals totals(long account) {
        return expected.computeIfAbsent(account, a -> new Totals());
    }

    /** A client thread: sends its steps, retries what a kill cut off, replays a sample after each restart. */
    private final class Client {

        private final Server server;
        private final Random random;
        private final List<Step> answered = new ArrayList<>();
        private int epochSeen;

        Client(Server server, Random random) {
            this.server = server;
            this.random = random;
            this.epochSeen = server.epoch();
        }

        void first(Step step) {
            Sent sent = send(step);
            if (sent.lost()) {
                lostAnswers.incrementAndGet();
                if (sent.response().status() == 200) {
                    lostButCommitted.incrementAndGet();
                }
            }
            check(step, sent.response(), false, sent.lost());
            answered.add(step);
            firstAnswers.incrementAndGet();
        }

        /** After a restart: resend a sample of answered requests; each must be answered as before, applied once. */
        void replayAfterRestart() {
            int epoch = server.epoch();
            if (epoch == epochSeen) {
                return;
            }
            epochSeen = epoch;
            for (int i = 0; i < REPLAYS_PER_CLIENT_AFTER_RESTART && !answered.isEmpty(); i++) {
                Step step = answered.get(random.nextInt(answered.size()));
                check(step, send(step).response(), true, false);
                replays.incrementAndGet();
            }
        }

        /** Sends until answered; a kill cuts the request off and it is sent again once Kami is back. */
        private Sent send(Step step) {
            boolean lost = false;
            for (int unexplained = 0; ; ) {
                Epoch epoch = server.awaitUp(0);
                long sentAt = System.nanoTime();
                try {
                    return new Sent(epoch.http().adminPost(step.path(), step.body(), "application/json"), lost);
                } catch (IllegalStateException e) {
                    if (!(e.getCause() instanceof IOException failure)) {
                        throw e;
                    }
                    if (!epoch.killed()) {
                        surprises.add(step.transferId() + " failed while no kill was under way: " + failure);
                        if (++unexplained == 3) {
                            throw e;
                        }
                        continue;
                    }
                    lost = true;
                    if (sentAt < epoch.killedAt && !(failure instanceof ConnectException)) {
                        epoch.interrupted.incrementAndGet();
                    }
                    server.awaitUp(epoch.number());
                }
            }
        }

        private void check(Step step, Http.Response response, boolean answeredBefore, boolean lost) {
            String id = step.transferId();
            if (!step.applies()) {
                if (response.status() != 422 || !"EXCEEDS_CREDITS".equals(response.code())) {
                    surprises.add(id + " should be refused EXCEEDS_CREDITS: " + response.status() + " "
                            + response.body());
                }
                return;
            }
            int status = response.status();
            String replayed = response.raw().headers().firstValue("Idempotent-Replayed").orElse("");
            if (status != 201 && status != 200) {
                surprises.add(id + " answered " + status + ": " + response.body());
                return;
            }
            if (!replayed.equals(Boolean.toString(status == 200))) {
                surprises.add(id + " answered " + status + " with Idempotent-Replayed: " + replayed);
            }
            if (status == 201 && created.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() > 1) {
                surprises.add(id + " applied twice");
            }
            if (status == 200 && !answeredBefore && !lost) {
                surprises.add(id + " answered as a replay the first time it was sent");
            }
            if (status == 201 && answeredBefore) {
                surprises.add(id + " applied again on a retry after it was answered");
            }
            JsonNode answer = withoutResolution(response.json());
            String mismatch = mismatch(step.fields(), answer);
            if (mismatch != null) {
                surprises.add(id + " answered with " + mismatch);
            }
            JsonNode recorded = answers.putIfAbsent(id, answer);
            if (recorded != null && !recorded.equals(answer)) {
                surprises.add(id + " answered " + answer + " after " + recorded);
            }
        }
    }

    /** A request's answer, and whether an earlier try of it was cut off by a kill. */
    record Sent(Http.Response response, boolean lost) {
    }

    /** One life of the Kami process. */
    static final class Epoch {

        private final int number;
        private final Http http;
        volatile long killedAt = Long.MAX_VALUE;
        /** Requests sent (connected) before the kill that failed with it: the kill cut them off mid-flight. */
        final AtomicInteger interrupted = new AtomicInteger();

        Epoch(int number, Http http) {
            this.number = number;
            this.http = http;
        }

        int number() {
            return number;
        }

        Http http() {
            return http;
        }

        boolean killed() {
            return killedAt != Long.MAX_VALUE;
        }
    }

    /** Kami as a process that the test kills and restarts on the same data directory. */
    static final class Server {

        private final Path dataDir;
        private final int databasePort;
        private final Path log;
        private final List<Epoch> epochs = new ArrayList<>();
        private KamiProcess process;
        private @Nullable Epoch up;

        Server(Path dataDir, int databasePort, Path log) throws IOException {
            this.dataDir = dataDir;
            this.databasePort = databasePort;
            this.log = log;
            this.process = KamiProcess.start(dataDir, databasePort, log);
            this.up = new Epoch(1, process.http());
            epochs.add(up);
        }

        synchronized int epoch() {
            return epochs.size();
        }

        synchronized KamiProcess process() {
            return process;
        }

        /** The running process once its number is above {@code after}; waits while it is down. */
        synchronized Epoch awaitUp(int after) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (up == null || up.number() <= after) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("Kami did not come back");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return up;
        }

        void killAndRestart() throws IOException, InterruptedException {
            KamiProcess killed;
            synchronized (this) {
                Epoch dying = Objects.requireNonNull(up);
                up = null;
                dying.killedAt = System.nanoTime();
                killed = process;
            }
            killed.killHard();
            KamiProcess restarted = KamiProcess.start(dataDir, databasePort, log);
            synchronized (this) {
                process = restarted;
                up = new Epoch(epochs.size() + 1, restarted.http());
                epochs.add(up);
                notifyAll();
            }
        }

        synchronized List<Integer> interruptedPerKill() {
            return epochs.stream().filter(Epoch::killed).map(e -> e.interrupted.get()).toList();
        }

        void stop() throws InterruptedException {
            process().stop();
        }
    }

    private void awaitFirstAnswers(int count, List<Future<?>> clients) throws Exception {
        long deadline = System.nanoTime() + BURST_TIMEOUT.toNanos();
        while (firstAnswers.get() < count) {
            for (Future<?> client : clients) {
                if (client.isDone()) {
                    client.get();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the burst stalled at " + firstAnswers.get() + " answers");
            }
            Thread.sleep(2);
        }
    }

    /** Every transfer id reads back with the fields it was sent with; a refused one left no trace. */
    private List<String> readBack(Http http, List<Step> all) throws Exception {
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                readers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < all.size(); i = next.getAndIncrement()) {
                        Step step = all.get(i);
                        Http.Response read = http.adminGet(TRANSFERS + "/" + step.transferId());
                        if (!step.applies()) {
                            if (read.status() != 404 || !"TRANSFER_NOT_FOUND".equals(read.code())) {
                                wrong.add(step.transferId() + " was refused yet reads " + read.body());
                            }
                            continue;
                        }
                        if (read.status() != 200) {
                            wrong.add(step.transferId() + " reads " + read.status() + " " + read.body());
                            continue;
                        }
                        JsonNode json = read.json();
                        String mismatch = mismatch(step.fields(), json);
                        JsonNode resolution = json.get("resolution");
                        String resolved = resolution == null || resolution.isNull() ? null : resolution.asString();
                        if (mismatch != null) {
                            wrong.add(step.transferId() + " reads " + mismatch);
                        } else if (!Objects.equals(resolved, step.resolution())) {
                            wrong.add(step.transferId() + " resolved " + resolved + ", expected "
                                    + step.resolution());
                        } else if (!withoutResolution(json).equals(answers.get(step.transferId()))) {
                            wrong.add(step.transferId() + " reads " + json + " but was answered "
                                    + answers.get(step.transferId()));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> reader : readers) {
                reader.get();
            }
        }
        return List.copyOf(wrong);
    }

    private static @Nullable String mismatch(Map<String, Object> fields, JsonNode json) {
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            JsonNode value = json.get(field.getKey());
            Object want = field.getValue();
            boolean same = want == null ? value == null || value.isNull()
                    : value != null && !value.isNull() && (want instanceof Number number
                            ? value.isNumber() && value.asLong() == number.longValue()
                            : value.asString().equals(want.toString()));
            if (!same) {
                return field.getKey() + " = " + value + " instead of " + want + " in " + json;
            }
        }
        return null;
    }

    private static JsonNode withoutResolution(JsonNode json) {
        ObjectNode copy = ((ObjectNode) json).deepCopy();
        copy.remove("resolution");
        return copy;
    }

    @SafeVarargs
    private static List<Long> concat(List<Long>... lists) {
        List<Long> all = new ArrayList<>();
        for (List<Long> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static long open(Http http, String code, String owner, String type, @Nullable String limit,
            int shardCount) {
        Map<String, Object> body = new HashMap<>(Map.of("code", code, "owner", owner, "type", type, "currency",
                CURRENCY, "shardCount", shardCount));
        if (limit != null) {
            body.put("limit", limit);
        }
        Http.Response opened = http.adminPost("/api/admin/ledger/accounts", Http.toJson(body), "application/json");
        assertThat(opened.status()).as("opening %s: %s", code, opened.body()).isEqualTo(201);
        return opened.json().get("id").asLong();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static long queryLong(int databasePort, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + databasePort
                + "/postgres", "postgres", ""); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
