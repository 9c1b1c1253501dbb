import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives a running Kami through the whole buyer path (order, sandbox payment, delivery) with concurrent clients,
 * then reports throughput, latencies, errors and whether the stock still adds up. Run by {@code bin/benchmark};
 * uses only the JDK so it runs with the single-file source launcher.
 *
 * <p>Exit status: 0 when orders were delivered and the stock adds up, 1 when not, 2 when the run could not be
 * set up (bad options, product or key import refused).
 */
public class LoadDriver {

    static final int IMPORT_LINES_MAX = 100_000;
    static final Duration ORDER_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DRAIN_MAX = Duration.ofSeconds(30);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    static final Duration PAUSE_AFTER_ERROR = Duration.ofMillis(50);
    static final int LONG_POLL_WAIT_SECONDS = 10;

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern ORDER_NO = stringField("orderNo");
    private static final Pattern LOOKUP_TOKEN = stringField("lookupToken");
    private static final Pattern PAYMENT_NO = stringField("paymentNo");
    private static final Pattern STATUS = stringField("status");
    private static final Pattern KEYS_ARRAY = Pattern.compile("\"keys\"\\s*:\\s*\\[([^\\]]*)]");
    private static final Pattern JSON_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * @param loadAverageBeforeStart the machine's 1-minute load average before Kami started, when known
     * @param kamiPid Kami's process, whose CPU time the report shows, when known
     * @param postgresPidFile the embedded PostgreSQL's {@code postmaster.pid}, when known
     */
    record Options(URI baseUrl, String adminToken, int clients, int keys, Duration warmup, Duration duration,
            Path outDir, Double loadAverageBeforeStart, Long kamiPid, Path postgresPidFile) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (String arg : args) {
                int equals = arg.indexOf('=');
                if (!arg.startsWith("--") || equals < 0) {
                    throw new IllegalArgumentException("expected --name=value, got " + arg);
                }
                values.put(arg.substring(2, equals), arg.substring(equals + 1));
            }
            String token = values.get("admin-token");
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("--admin-token is required");
            }
            Options options = new Options(URI.create(values.getOrDefault("base-url", "http://127.0.0.1:18080")),
                    token, positive(values, "clients", 64), positive(values, "keys", 200_000),
                    Duration.ofSeconds(nonNegative(values, "warmup-seconds", 10)),
                    Duration.ofSeconds(positive(values, "duration-seconds", 60)),
                    Path.of(values.getOrDefault("out-dir", "target/benchmark")),
                    values.containsKey("load-average-before-start")
                            ? Double.valueOf(values.get("load-average-before-start")) : null,
                    values.containsKey("kami-pid") ? Long.valueOf(values.get("kami-pid")) : null,
                    values.containsKey("postgres-pid-file") ? Path.of(values.get("postgres-pid-file")) : null);
            values.keySet().removeAll(Set.of("base-url", "admin-token", "clients", "keys", "warmup-seconds",
                    "duration-seconds", "out-dir", "load-average-before-start", "kami-pid", "postgres-pid-file"));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + values.keySet());
            }
            return options;
        }

        private static int positive(Map<String, String> values, String name, int fallback) {
            int value = nonNegative(values, name, fallback);
            if (value == 0) {
                throw new IllegalArgumentException("--" + name + " must be positive");
            }
            return value;
        }

        private static int nonNegative(Map<String, String> values, String name, int fallback) {
            String text = values.get(name);
            int value = text == null ? fallback : Integer.parseInt(text.trim());
            if (value < 0) {
                throw new IllegalArgumentException("--" + name + " must not be negative");
            }
            return value;
        }
    }

    /** A growable array of longs: latencies are kept exactly, without boxing. */
    static final class LongList {

        private long[] values = new long[1024];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        void addAll(LongList other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }

    /** What one client saw in one phase; only that client writes it, so it needs no locking. */
    static final class Tally {

        long created;
        long delivered;
        long timeouts;
        long unfinished;
        final LongList latencyMicros = new LongList();
        final Map<String, Long> errors = new TreeMap<>();

        void error(String kind) {
            errors.merge(kind, 1L, Long::sum);
        }

        void addAll(Tally other) {
            created += other.created;
            delivered += other.delivered;
            timeouts += other.timeouts;
            unfinished += other.unfinished;
            latencyMicros.addAll(other.latencyMicros);
            other.errors.forEach((kind, count) -> errors.merge(kind, count, Long::sum));
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One client's tallies, split by the phase in which each order was placed. */
    static final class Client {

        final Tally warmup = new Tally();
        final Tally measured = new Tally();
        long deliveredInMeasuredWindow;
    }

    record Percentiles(double p50Ms, double p95Ms, double p99Ms, double maxMs) {

        static Percentiles ofMicros(long[] sorted) {
            if (sorted.length == 0) {
                return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Percentiles(rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                    sorted[sorted.length - 1] / 1000.0);
        }

        /** Nearest-rank percentile. */
        private static double rank(long[] sorted, double fraction) {
            int index = (int) Math.ceil(fraction * sorted.length) - 1;
            return sorted[Math.max(index, 0)] / 1000.0;
        }
    }

    /** The clients' tallies and the wall-clock instant the measured phase began (the server stats' "since"). */
    record Load(List<Client> clients, Instant measuredStarted) {
    }

    record ServerStats(boolean available, String unavailableReason, long delivered, String firstPaidAt,
            String lastDeliveredAt, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }

    record StockCheck(long available, long reserved, long sold, long expectedTotal, long deliveredOrders,
            long duplicateKeys) {

        long total() {
            return available + reserved + sold;
        }

        boolean passes() {
            return total() == expectedTotal && sold >= deliveredOrders && duplicateKeys == 0;
        }
    }

    static final class SetupFailure extends Exception {

        private static final long serialVersionUID = 1L;

        SetupFailure(String message) {
            super(message);
        }
    }

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> deliveredKeys = ConcurrentHashMap.newKeySet();
    private final LongAdder duplicateKeys = new LongAdder();
    private final LongAdder deliveredSoFar = new LongAdder();
    private final LongAdder failuresSoFar = new LongAdder();

    private long measuredStartNanos;
    private long measuredEndNanos;
    private volatile CpuSample cpuAtMeasuredStart;
    private volatile CpuSample cpuAtMeasuredEnd;
    private long drainDeadlineNanos;

    LoadDriver(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadDriver: " + e.getMessage());
            System.err.println("usage: LoadDriver --admin-token=T [--base-url=U] [--clients=N] [--keys=N]"
                    + " [--warmup-seconds=N] [--duration-seconds=N] [--out-dir=DIR] [--load-average-before-start=X]"
                    + " [--kami-pid=N] [--postgres-pid-file=PATH]");
            System.exit(2);
            return;
        }
        try {
            System.exit(new LoadDriver(options).run());
        } catch (SetupFailure e) {
            System.err.println("LoadDriver: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("LoadDriver: cannot talk to Kami at " + options.baseUrl() + ": " + e);
            System.exit(2);
        }
    }

    int run() throws Exception {
        Instant runStarted = Instant.now();
        long productId = createProduct();
        log("created product " + productId);

        long importStarted = System.nanoTime();
        importKeys(productId);
        double importSeconds = (System.nanoTime() - importStarted) / 1e9;
        log(String.format(Locale.ROOT, "imported %d keys in %.1f s", options.keys(), importSeconds));

        Load load = drive(productId);
        Instant measuredStarted = load.measuredStarted();

        Tally warmup = new Tally();
        Tally measured = new Tally();
        long deliveredInWindow = 0;
        for (Client client : load.clients()) {
            warmup.addAll(client.warmup);
            measured.addAll(client.measured);
            deliveredInWindow += client.deliveredInMeasuredWindow;
        }

        ServerStats server = fetchServerStats(measuredStarted);
        StockCheck stock = checkStock(productId, warmup.delivered + measured.delivered);

        Map<String, Object> report = report(runStarted, productId, importSeconds,
                measuredStarted, warmup, measured, deliveredInWindow, server, stock);
        String markdown = markdown(report, warmup, measured, server, stock);
        Files.createDirectories(options.outDir());
        Files.writeString(options.outDir().resolve("report.json"), toJson(report, "") + "\n");
        Files.writeString(options.outDir().resolve("report.md"), markdown);
        System.out.println(markdown);

        if (deliveredInWindow == 0) {
            log("FAILED: no order was delivered during the measured phase");
            return 1;
        }
        if (!stock.passes()) {
            log("FAILED: the stock invariant does not hold");
            return 1;
        }
        return 0;
    }

    // ---- setup ----

    private long createProduct() throws Exception {
        HttpResponse<String> response = send(admin("/api/admin/products")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name":"Bench","description":"benchmark","priceMinor":100,"currency":"CNY"}""")));
        if (response.statusCode() != 201) {
            throw new SetupFailure("creating the product answered HTTP " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        return Long.parseLong(required(ID, response.body(), "id"));
    }

    private void importKeys(long productId) throws Exception {
        // A per-run prefix keeps the keys unique even if the same database is driven twice.
        String prefix = "BENCH-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        long imported = 0;
        for (int first = 0; first < options.keys(); first += IMPORT_LINES_MAX) {
            int last = Math.min(first + IMPORT_LINES_MAX, options.keys());
            StringBuilder body = new StringBuilder((last - first) * (prefix.length() + 8));
            for (int i = first; i < last; i++) {
                body.append(prefix).append(i).append('\n');
            }
            HttpResponse<String> response = send(admin("/api/admin/products/" + productId + "/keys")
                    .header("Content-Type", "text/plain")
                    .timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
            if (response.statusCode() != 200) {
                throw new SetupFailure("importing keys " + first + ".." + (last - 1) + " answered HTTP "
                        + response.statusCode() + ": " + abbreviate(response.body()));
            }
            imported += numberField(response.body(), "imported").longValue();
        }
        if (imported != options.keys()) {
            throw new SetupFailure("imported " + imported + " keys, expected " + options.keys());
        }
    }

    // ---- load ----

    private Load drive(long productId) throws InterruptedException {
        long startNanos = System.nanoTime();
        Instant startInstant = Instant.now();
        measuredStartNanos = startNanos + options.warmup().toNanos();
        measuredEndNanos = measuredStartNanos + options.duration().toNanos();
        drainDeadlineNanos = measuredEndNanos + DRAIN_MAX.toNanos();

        log(String.format(Locale.ROOT, "%d clients: %d s warm-up, then %d s measured", options.clients(),
                options.warmup().toSeconds(), options.duration().toSeconds()));
        Thread.ofPlatform().daemon().name("cpu-sampler").start(this::sampleCpuAtPhaseBoundaries);
        List<Client> clients = new ArrayList<>();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < options.clients(); i++) {
            Client client = new Client();
            clients.add(client);
            executor.submit(() -> runClient(client, productId));
        }
        executor.shutdown();
        long lastDelivered = 0;
        long hardStopNanos = drainDeadlineNanos + REQUEST_TIMEOUT.toNanos();
        while (!executor.awaitTermination(PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long delivered = deliveredSoFar.sum();
            String phase = now < measuredStartNanos ? "warm-up" : now < measuredEndNanos ? "measured" : "draining";
            log(String.format(Locale.ROOT, "%-8s %5.0f s  delivered %d (+%.0f/s), failures %d", phase,
                    (now - startNanos) / 1e9, delivered,
                    (delivered - lastDelivered) / (double) PROGRESS_INTERVAL.toSeconds(), failuresSoFar.sum()));
            lastDelivered = delivered;
            if (now > hardStopNanos) {
                log("clients still busy after the drain deadline; interrupting them");
                executor.shutdownNow();
                executor.awaitTermination(10, TimeUnit.SECONDS);
                break;
            }
        }
        return new Load(clients, startInstant.plus(options.warmup()));
    }

    private void sampleCpuAtPhaseBoundaries() {
        try {
            sleepUntil(measuredStartNanos);
            cpuAtMeasuredStart = CpuSample.take(options.kamiPid(), options.postgresPidFile());
            sleepUntil(measuredEndNanos);
            cpuAtMeasuredEnd = CpuSample.take(options.kamiPid(), options.postgresPidFile());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long remaining = nanoTime - System.nanoTime();
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        }
    }

    private void runClient(Client client, long productId) {
        String orderBody = "{\"productId\":" + productId
                + ",\"quantity\":1,\"email\":\"bench@example.com\",\"channel\":\"sandbox\"}";
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            if (now >= measuredEndNanos) {
                return;
            }
            Tally tally = now < measuredStartNanos ? client.warmup : client.measured;
            try {
                placeAndAwaitDelivery(client, tally, orderBody);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void placeAndAwaitDelivery(Client client, Tally tally, String orderBody) throws InterruptedException {
        long placedNanos = System.nanoTime();
        String step = "create";
        try {
            HttpResponse<String> created = send(request("/api/orders")
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(orderBody)));
            if (created.statusCode() != 201) {
                fail(tally, step + ": HTTP " + created.statusCode());
                return;
            }
            tally.created++;
            String orderNo = required(ORDER_NO, created.body(), "orderNo");
            String lookupToken = required(LOOKUP_TOKEN, created.body(), "lookupToken");
            String paymentNo = required(PAYMENT_NO, created.body(), "paymentNo");

            step = "pay";
            HttpResponse<String> paid = send(request("/sandbox/api/payments/" + paymentNo + "/pay")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            if (paid.statusCode() != 200) {
                fail(tally, step + ": HTTP " + paid.statusCode());
                return;
            }

            step = "poll";
            long timeoutNanos = placedNanos + ORDER_TIMEOUT.toNanos();
            long giveUpNanos = Math.min(timeoutNanos, drainDeadlineNanos);
            // Long polling until delivery: Kami answers once the order is delivered (or final, or the wait is over).
            HttpRequest lookup = request("/api/orders/" + orderNo + "?waitSeconds=" + LONG_POLL_WAIT_SECONDS
                    + "&until=DELIVERED")
                    .header("X-Order-Token", lookupToken).GET().build();
            while (true) {
                HttpResponse<String> order = http.send(lookup, HttpResponse.BodyHandlers.ofString());
                long now = System.nanoTime();
                if (order.statusCode() != 200) {
                    fail(tally, step + ": HTTP " + order.statusCode());
                    return;
                }
                String status = required(STATUS, order.body(), "status");
                if (status.equals("DELIVERED")) {
                    delivered(client, tally, order.body(), now - placedNanos, now);
                    return;
                }
                if (status.equals("NEEDS_REFUND")) {
                    fail(tally, "order ended " + status);
                    return;
                }
                if (now >= giveUpNanos) {
                    if (now >= timeoutNanos) {
                        tally.timeouts++;
                    } else {
                        tally.unfinished++;
                    }
                    failuresSoFar.increment();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(tally, step + ": " + e.getClass().getSimpleName());
        }
    }

    private void delivered(Client client, Tally tally, String body, long latencyNanos, long seenNanos) {
        Matcher keys = KEYS_ARRAY.matcher(body);
        if (!keys.find()) {
            tally.error("delivered without keys");
            failuresSoFar.increment();
            return;
        }
        Matcher key = JSON_STRING.matcher(keys.group(1));
        while (key.find()) {
            if (!deliveredKeys.add(key.group(1))) {
                duplicateKeys.increment();
            }
        }
        tally.delivered++;
        tally.latencyMicros.add(TimeUnit.NANOSECONDS.toMicros(latencyNanos));
        deliveredSoFar.increment();
        if (seenNanos >= measuredStartNanos && seenNanos < measuredEndNanos) {
            client.deliveredInMeasuredWindow++;
        }
    }

    private void fail(Tally tally, String kind) throws InterruptedException {
        tally.error(kind);
        failuresSoFar.increment();
        // Without a pause a persistent refusal (sold out, server down) would turn the client into a busy loop.
        Thread.sleep(PAUSE_AFTER_ERROR);
    }

    // ---- results ----

    private ServerStats fetchServerStats(Instant since) {
        try {
            HttpResponse<String> response = send(admin("/api/admin/stats/delivery?since="
                    + since.truncatedTo(ChronoUnit.MILLIS)).GET());
            if (response.statusCode() != 200) {
                return unavailable("HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
            }
            String body = response.body();
            return new ServerStats(true, null, numberField(body, "delivered").longValue(),
                    optionalString(body, "firstPaidAt"), optionalString(body, "lastDeliveredAt"),
                    numberField(body, "p50Ms").doubleValue(), numberField(body, "p95Ms").doubleValue(),
                    numberField(body, "p99Ms").doubleValue(), numberField(body, "maxMs").doubleValue());
        } catch (Exception e) {
            return unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static ServerStats unavailable(String reason) {
        log("server-side delivery stats unavailable: " + reason);
        return new ServerStats(false, reason, 0, null, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private StockCheck checkStock(long productId, long deliveredOrders) throws Exception {
        HttpResponse<String> response = send(admin("/api/admin/products/" + productId + "/stock").GET());
        if (response.statusCode() != 200) {
            log("stock check answered HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
            return new StockCheck(-1, -1, -1, options.keys(), deliveredOrders, duplicateKeys.sum());
        }
        String body = response.body();
        return new StockCheck(numberField(body, "available").longValue(), numberField(body, "reserved").longValue(),
                numberField(body, "sold").longValue(), options.keys(), deliveredOrders, duplicateKeys.sum());
    }

    private Map<String, Object> report(Instant runStarted, long productId,
            double importSeconds, Instant measuredStarted, Tally warmup, Tally measured, long deliveredInWindow,
            ServerStats server, StockCheck stock) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", runStarted.truncatedTo(ChronoUnit.SECONDS).toString());
        report.put("machine", machine());

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("baseUrl", options.baseUrl().toString());
        parameters.put("clients", options.clients());
        parameters.put("keys", options.keys());
        parameters.put("warmupSeconds", options.warmup().toSeconds());
        parameters.put("durationSeconds", options.duration().toSeconds());
        parameters.put("productId", productId);
        report.put("parameters", parameters);

        report.put("keyImportSeconds", round(importSeconds));
        report.put("measuredPhaseStartedAt", measuredStarted.toString());
        report.put("deliveredInMeasuredWindow", deliveredInWindow);
        report.put("deliveredOrdersPerSecond", round(deliveredInWindow / (double) options.duration().toSeconds()));

        Map<String, Object> serverSide = new LinkedHashMap<>();
        serverSide.put("available", server.available());
        if (server.available()) {
            serverSide.put("delivered", server.delivered());
            serverSide.put("firstPaidAt", server.firstPaidAt());
            serverSide.put("lastDeliveredAt", server.lastDeliveredAt());
            serverSide.put("p50Ms", round(server.p50Ms()));
            serverSide.put("p95Ms", round(server.p95Ms()));
            serverSide.put("p99Ms", round(server.p99Ms()));
            serverSide.put("maxMs", round(server.maxMs()));
        } else {
            serverSide.put("reason", server.unavailableReason());
        }
        report.put("serverNotifyToDelivered", serverSide);
        report.put("cpuPerDeliveredOrder", cpuReport(deliveredInWindow));

        Map<String, Object> phases = new LinkedHashMap<>();
        phases.put("warmup", phase(warmup, options.warmup()));
        phases.put("measured", phase(measured, options.duration()));
        report.put("clientPhases", phases);

        Map<String, Object> stockReport = new LinkedHashMap<>();
        stockReport.put("available", stock.available());
        stockReport.put("reserved", stock.reserved());
        stockReport.put("sold", stock.sold());
        stockReport.put("total", stock.total());
        stockReport.put("expectedTotal", stock.expectedTotal());
        stockReport.put("deliveredOrders", stock.deliveredOrders());
        stockReport.put("duplicateKeysDelivered", stock.duplicateKeys());
        stockReport.put("passed", stock.passes());
        report.put("stockInvariant", stockReport);
        return report;
    }

    /** Where the machine's CPU time went during the measured phase, per order delivered in it. */
    private Map<String, Object> cpuReport(long deliveredInWindow) {
        Map<String, Object> cpu = new LinkedHashMap<>();
        CpuSample start = cpuAtMeasuredStart;
        CpuSample end = cpuAtMeasuredEnd;
        if (start == null || end == null || !start.machineKnown() || deliveredInWindow == 0) {
            cpu.put("available", false);
            return cpu;
        }
        cpu.put("available", true);
        long machineTotal = end.machineTotal() - start.machineTotal();
        long machineBusy = end.machineBusy() - start.machineBusy();
        cpu.put("machineBusyPercent", round(100.0 * machineBusy / machineTotal));
        cpu.put("machineStealPercent", round(100.0 * (end.machineSteal() - start.machineSteal()) / machineTotal));
        Map<String, Object> perOrder = new LinkedHashMap<>();
        long accounted = 0;
        if (start.kami() >= 0 && end.kami() >= 0) {
            perOrder.put("kamiMs", round(CpuSample.millis(end.kami() - start.kami()) / deliveredInWindow));
            accounted += end.kami() - start.kami();
        }
        if (start.kamiJit() >= 0 && end.kamiJit() >= 0) {
            perOrder.put("kamiJitCompilerMs", round(CpuSample.millis(Math.max(0, end.kamiJit() - start.kamiJit()))
                    / deliveredInWindow));
        }
        if (start.kamiGc() >= 0 && end.kamiGc() >= 0) {
            perOrder.put("kamiGcMs", round(CpuSample.millis(Math.max(0, end.kamiGc() - start.kamiGc()))
                    / deliveredInWindow));
        }
        if (start.postgres() >= 0 && end.postgres() >= 0) {
            perOrder.put("postgresMs", round(CpuSample.millis(end.postgres() - start.postgres()) / deliveredInWindow));
            accounted += end.postgres() - start.postgres();
        }
        perOrder.put("loadDriverMs", round(CpuSample.millis(end.driver() - start.driver()) / deliveredInWindow));
        accounted += end.driver() - start.driver();
        perOrder.put("restOfMachineMs", round(CpuSample.millis(Math.max(0, machineBusy - accounted))
                / deliveredInWindow));
        perOrder.put("machineMs", round(CpuSample.millis(machineBusy) / deliveredInWindow));
        cpu.put("msPerOrder", perOrder);
        return cpu;
    }

    private static Map<String, Object> phase(Tally tally, Duration length) {
        Percentiles latency = Percentiles.ofMicros(tally.latencyMicros.sorted());
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("seconds", length.toSeconds());
        phase.put("ordersCreated", tally.created);
        phase.put("ordersDelivered", tally.delivered);
        phase.put("timeouts", tally.timeouts);
        phase.put("unfinishedAtDrainDeadline", tally.unfinished);
        phase.put("errors", new TreeMap<>(tally.errors));
        phase.put("orderToDeliveredP50Ms", round(latency.p50Ms()));
        phase.put("orderToDeliveredP95Ms", round(latency.p95Ms()));
        phase.put("orderToDeliveredP99Ms", round(latency.p99Ms()));
        phase.put("orderToDeliveredMaxMs", round(latency.maxMs()));
        return phase;
    }

    private Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("cpuModel", cpuModel());
        long memory = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getTotalMemorySize();
        machine.put("totalMemoryMiB", memory / (1024 * 1024));
        // Other work on the machine skews every figure; a high load before Kami started is the sign of it.
        machine.put("loadAverage1mBeforeStart", options.loadAverageBeforeStart());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        return machine;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private String markdown(Map<String, Object> report, Tally warmup, Tally measured, ServerStats server,
            StockCheck stock) {
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        StringBuilder md = new StringBuilder();
        md.append("# Kami benchmark\n\n");
        md.append("- Date: ").append(report.get("date")).append('\n');
        md.append("- Machine: ").append(machine.get("cpus")).append(" CPUs (").append(machine.get("cpuModel"))
                .append("), ").append(machine.get("totalMemoryMiB")).append(" MiB memory, ")
                .append(machine.get("os")).append(", 1-minute load average ")
                .append(Objects.requireNonNullElse(machine.get("loadAverage1mBeforeStart"), "unknown"))
                .append(" before Kami started\n");
        md.append("- Java: ").append(machine.get("java")).append(" (Kami and the load driver share the machine)\n");
        md.append("- Parameters: ").append(options.clients()).append(" clients, ")
                .append(options.warmup().toSeconds()).append(" s warm-up, ")
                .append(options.duration().toSeconds())
                .append(" s measured, delivery awaited by long polling (until=DELIVERED), ")
                .append(options.keys()).append(" keys imported in ").append(report.get("keyImportSeconds"))
                .append(" s\n\n");

        md.append("## Throughput\n\n");
        md.append(String.format(Locale.ROOT, "**%s delivered orders/s** (%d orders seen delivered during the %d s"
                + " measured phase)%n%n", report.get("deliveredOrdersPerSecond"),
                report.get("deliveredInMeasuredWindow"), options.duration().toSeconds()));

        md.append("## Notify accepted → DELIVERED (server side, database timestamps)\n\n");
        if (server.available()) {
            md.append("Orders delivered since the measured phase started (")
                    .append(report.get("measuredPhaseStartedAt"))
                    .append("), including those finishing during the drain.\n\n");
            md.append("| orders | p50 ms | p95 ms | p99 ms | max ms |\n|---:|---:|---:|---:|---:|\n");
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n%n", server.delivered(),
                    ms(server.p50Ms()), ms(server.p95Ms()), ms(server.p99Ms()), ms(server.maxMs())));
        } else {
            md.append("Not available: ").append(server.unavailableReason()).append("\n\n");
        }

        cpuSection(md, report);

        md.append("## Order placed → DELIVERED seen (client side, includes payment and polling)\n\n");
        md.append("| phase | created | delivered | timeouts | unfinished | errors | p50 ms | p95 ms | p99 ms |"
                + " max ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        phaseRow(md, "warm-up", warmup);
        phaseRow(md, "measured", measured);
        md.append('\n');

        md.append("## Errors\n\n");
        if (warmup.errors.isEmpty() && measured.errors.isEmpty()) {
            md.append("None.\n\n");
        } else {
            md.append("| phase | kind | count |\n|---|---|---:|\n");
            warmup.errors.forEach((kind, count) -> md.append("| warm-up | ").append(kind).append(" | ")
                    .append(count).append(" |\n"));
            measured.errors.forEach((kind, count) -> md.append("| measured | ").append(kind).append(" | ")
                    .append(count).append(" |\n"));
            md.append('\n');
        }

        md.append("## Stock invariant\n\n");
        md.append(String.format(Locale.ROOT, "available %d + reserved %d + sold %d = %d (expected %d); sold %d ≥"
                + " delivered orders %d; keys delivered twice: %d → **%s**%n", stock.available(), stock.reserved(),
                stock.sold(), stock.total(), stock.expectedTotal(), stock.sold(), stock.deliveredOrders(),
                stock.duplicateKeys(), stock.passes() ? "PASS" : "FAIL"));
        return md.toString();
    }

    private static void cpuSection(StringBuilder md, Map<String, Object> report) {
        @SuppressWarnings("unchecked")
        Map<String, Object> cpu = (Map<String, Object>) report.get("cpuPerDeliveredOrder");
        md.append("## CPU time per delivered order (measured phase)\n\n");
        if (!Boolean.TRUE.equals(cpu.get("available"))) {
            md.append("Not available (needs Linux /proc).\n\n");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> perOrder = (Map<String, Object>) cpu.get("msPerOrder");
        md.append(String.format(Locale.ROOT, "Machine busy %s%% (steal %s%%). CPU milliseconds per order "
                + "delivered in the measured phase; the machine's total bounds throughput at CPUs × 1000 / total "
                + "orders/s.%n%n", cpu.get("machineBusyPercent"), cpu.get("machineStealPercent")));
        md.append("| Kami JVM | of which JIT compiler | of which GC | PostgreSQL | load driver | rest of machine | total |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n%n",
                Objects.requireNonNullElse(perOrder.get("kamiMs"), "unknown"),
                Objects.requireNonNullElse(perOrder.get("kamiJitCompilerMs"), "unknown"),
                Objects.requireNonNullElse(perOrder.get("kamiGcMs"), "unknown"),
                Objects.requireNonNullElse(perOrder.get("postgresMs"), "unknown"), perOrder.get("loadDriverMs"),
                perOrder.get("restOfMachineMs"), perOrder.get("machineMs")));
        if (perOrder.get("kamiMs") instanceof Double kami && perOrder.get("kamiJitCompilerMs") instanceof Double jit
                && jit > JIT_STILL_BUSY_SHARE * kami) {
            md.append(String.format(Locale.ROOT, "**The JIT compiler was still busy** (%.0f%% of Kami's CPU in the "
                    + "measured phase): Kami was not warmed up, so these figures are below its steady state; "
                    + "run again with a longer WARMUP_SECONDS.%n%n", 100 * jit / kami));
        }
    }

    /** Above this share of Kami's CPU, the compiler's work distorts the figures (steady state: about 1 %). */
    private static final double JIT_STILL_BUSY_SHARE = 0.05;

    private static void phaseRow(StringBuilder md, String name, Tally tally) {
        Percentiles latency = Percentiles.ofMicros(tally.latencyMicros.sorted());
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %s | %s | %s |%n", name,
                tally.created, tally.delivered, tally.timeouts, tally.unfinished, tally.errorCount(),
                ms(latency.p50Ms()), ms(latency.p95Ms()), ms(latency.p99Ms()), ms(latency.maxMs())));
    }

    // ---- HTTP and JSON helpers ----

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(options.baseUrl().resolve(path)).timeout(REQUEST_TIMEOUT);
    }

    private HttpRequest.Builder admin(String path) {
        return request(path).header("Authorization", "Bearer " + options.adminToken());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Pattern stringField(String name) {
        return Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    }

    private static String required(Pattern field, String body, String name) {
        Matcher matcher = field.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + abbreviate(body));
        }
        return matcher.group(1);
    }

    private static String optionalString(String body, String name) {
        Matcher matcher = stringField(name).matcher(body);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static Number numberField(String body, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*(-?[0-9][0-9.eE+-]*)").matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("no number " + name + " in " + abbreviate(body));
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static Object round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 10) / 10.0;
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String toJson(Object value, String indent) {
        return switch (value) {
            case null -> "null";
            case String text -> quote(text);
            case Number number -> number.toString();
            case Boolean bool -> bool.toString();
            case Map<?, ?> map when map.isEmpty() -> "{}";
            case Map<?, ?> map -> {
                String inner = indent + "  ";
                StringBuilder json = new StringBuilder("{\n");
                var entries = map.entrySet().iterator();
                while (entries.hasNext()) {
                    var entry = entries.next();
                    json.append(inner).append(quote(entry.getKey().toString())).append(": ")
                            .append(toJson(entry.getValue(), inner)).append(entries.hasNext() ? ",\n" : "\n");
                }
                yield json.append(indent).append('}').toString();
            }
            default -> quote(value.toString());
        };
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    private static void log(String message) {
        System.err.println("[LoadDriver " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }

    /**
     * CPU time so far in clock ticks (USER_HZ, 1/100 s on Linux), from /proc: the whole machine (busy, total and
     * stolen by the hypervisor), Kami's process, PostgreSQL (the postmaster, its live children and the children it
     * has reaped) and this driver. A figure that cannot be read is -1.
     */
    record CpuSample(long machineBusy, long machineTotal, long machineSteal, long kami, long kamiJit, long kamiGc,
            long postgres, long driver) {

        static final double MILLIS_PER_TICK = 10.0;

        static double millis(long ticks) {
            return ticks * MILLIS_PER_TICK;
        }

        boolean machineKnown() {
            return machineTotal > 0;
        }

        static CpuSample take(Long kamiPid, Path postgresPidFile) {
            long[] machine = machine();
            long postmaster = postmasterPid(postgresPidFile);
            return new CpuSample(machine[0], machine[1], machine[2],
                    kamiPid == null ? -1 : processTicks(kamiPid, true),
                    kamiPid == null ? -1 : threadTicks(kamiPid, JIT_THREAD_NAMES),
                    kamiPid == null ? -1 : threadTicks(kamiPid, GC_THREAD_NAMES),
                    postmaster < 0 ? -1 : postgresTicks(postmaster), processTicks(ProcessHandle.current().pid(), true));
        }

        /** HotSpot's names for its JIT compiler threads ("C2 CompilerThread0", cut to 15 characters by Linux). */
        private static final Pattern JIT_THREAD_NAMES = Pattern.compile("C[12] CompilerThre.*");

        /** HotSpot's names for the garbage collector's threads (G1, Parallel, ZGC, Shenandoah; Serial collects on the threads that allocate). */
        private static final Pattern GC_THREAD_NAMES = Pattern.compile(
                "GC Thread.*|G1 .*|ZWorker.*|ZDriver.*|Shenandoah.*");

        /**
         * CPU ticks of a process's live threads whose names match: threads that ended between two samples take
         * their ticks with them, so a difference is a lower bound.
         */
        private static long threadTicks(long pid, Pattern names) {
            try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                long ticks = 0;
                for (Path thread : threads.toList()) {
                    try {
                        String line = Files.readString(thread.resolve("stat"));
                        String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                        if (names.matcher(name).matches()) {
                            String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
                            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        }
                    } catch (IOException | RuntimeException threadEnded) {
                        // A thread that ended while we listed them has nothing more to count.
                    }
                }
                return ticks;
            } catch (IOException e) {
                return -1;
            }
        }

        /** busy, total and steal ticks of all CPUs */
        private static long[] machine() {
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long total = 0;
                for (int i = 1; i <= 8 && i < fields.length; i++) {
                    total += Long.parseLong(fields[i]);
                }
                long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
                return new long[] {total - idle, total, Long.parseLong(fields[8])};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0, 0};
            }
        }

        private static long postmasterPid(Path pidFile) {
            if (pidFile == null) {
                return -1;
            }
            try {
                return Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        private static long postgresTicks(long postmaster) {
            long ticks = processTicks(postmaster, true);
            if (ticks < 0) {
                return -1;
            }
            try (var processes = Files.list(Path.of("/proc"))) {
                for (Path process : processes.toList()) {
                    String name = process.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit)) {
                        long[] stat = stat(Long.parseLong(name));
                        if (stat != null && stat[0] == postmaster) {
                            ticks += stat[1] + stat[2] + stat[3] + stat[4];
                        }
                    }
                }
            } catch (IOException e) {
                return -1;
            }
            return ticks;
        }

        private static long processTicks(long pid, boolean withReapedChildren) {
            long[] stat = stat(pid);
            if (stat == null) {
                return -1;
            }
            return stat[1] + stat[2] + (withReapedChildren ? stat[3] + stat[4] : 0);
        }

        /** ppid, utime, stime, cutime, cstime of a process, or null when it is gone */
        private static long[] stat(long pid) {
            try {
                String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // The command name may hold spaces and parentheses; the fields after its closing one do not.
                String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
                return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                        Long.parseLong(fields[13]), Long.parseLong(fields[14])};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
