import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Measures the payment gateway's own overhead: creating a payment at a channel (the cashier's {@code /pay}
 * redirect) and handling a channel notify ({@code /api/notify/{account}}: journal, verify, record, reply), against
 * a channel that costs nothing. The channel is an Epay account: creating its payment is a signed redirect with no
 * network call, and the driver signs notifies itself, so every millisecond measured is Kami's (plus loopback
 * HTTP). After each notify a request that reads nothing is timed too: the floor of loopback HTTP and the server's
 * filters at that moment, which a shared machine moves from run to run. Run by
 * {@code BENCHMARK=gateway bin/benchmark}; JDK only.
 */
public class GatewayDriver {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    static final int KEYS_PER_IMPORT = 100_000;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern PAYMENT_NO = Pattern.compile("\"paymentNo\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PAY_URL = Pattern.compile("\"payUrl\"\\s*:\\s*\"([^\"]+)\"");

    /** @param startedNanos {@code System.nanoTime()} when the payment's creation was sent */
    record Sample(long startedNanos, long createMicros, long notifyMicros, long floorMicros) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Arrays.stream(args).filter(a -> a.startsWith("--") && a.contains("="))
                .collect(Collectors.toMap(a -> a.substring(2, a.indexOf('=')), a -> a.substring(a.indexOf('=') + 1)));
        URI base = URI.create(options.get("base-url"));
        String token = options.get("admin-token");
        int clients = Integer.parseInt(options.getOrDefault("clients", "1"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-seconds", "30")));
        Duration measured = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration-seconds", "60")));
        int keys = Integer.parseInt(options.getOrDefault("keys", "200000"));
        Path outDir = Path.of(options.getOrDefault("out-dir", "target/benchmark"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        String productJson = send(http, HttpRequest.newBuilder(base.resolve("/api/admin/products"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Gateway benchmark\",\"description\":\"-\","
                        + "\"priceMinor\":100,\"currency\":\"CNY\"}")), 201);
        String productId = match(ID, productJson);
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int from = 0; from < keys; from += KEYS_PER_IMPORT) {
            int start = from;
            String lines = IntStream.range(start, Math.min(keys, start + KEYS_PER_IMPORT))
                    .mapToObj(i -> "GW-" + run + "-" + i).collect(Collectors.joining("\n"));
            send(http, HttpRequest.newBuilder(base.resolve("/api/admin/products/" + productId + "/keys"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(lines)), 200);
        }
        String pid = "1000";
        String key = UUID.randomUUID().toString().replace("-", "");
        // Nothing listens on the discard port: the channel is never called during the run, only signed for.
        send(http, HttpRequest.newBuilder(base.resolve("/api/admin/channels/bench-epay"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"type\":\"epay\",\"settings\":{\"gatewayUrl\":"
                        + "\"http://127.0.0.1:9/\",\"pid\":\"" + pid + "\",\"key\":\"" + key + "\"}}")), 200);
        log("product " + productId + " with " + keys + " keys, channel bench-epay; " + clients + " clients, "
                + warmup.toSeconds() + " s warm-up, " + measured.toSeconds() + " s measured");

        Instant measureFrom = Instant.now().plus(warmup);
        Instant end = measureFrom.plus(measured);
        AtomicLong errors = new AtomicLong();
        List<Future<List<Sample>>> runs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                runs.add(pool.submit(() -> {
                    List<Sample> samples = new ArrayList<>();
                    while (Instant.now().isBefore(end)) {
                        try {
                            Sample sample = once(http, base, productId, pid, key);
                            if (!Instant.now().isBefore(measureFrom)) {
                                samples.add(sample);
                            }
                        } catch (Exception e) {
                            if (errors.incrementAndGet() <= 5) {
                                log("error: " + e.getMessage());
                            }
                        }
                    }
                    return samples;
                }));
            }
        }
        List<Sample> all = new ArrayList<>();
        for (Future<List<Sample>> f : runs) {
            all.addAll(f.get());
        }
        report(all, errors.get(), clients, warmup, measured, outDir);
    }

    /** One payment: place an order (not measured), open the cashier, deliver the channel's paid notify. */
    static Sample once(HttpClient http, URI base, String productId, String pid, String key) throws Exception {
        String placed = send(http, HttpRequest.newBuilder(base.resolve("/api/orders"))
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":" + productId + ",\"quantity\":1,"
                        + "\"email\":\"bench@example.com\",\"channel\":\"bench-epay\"}")), 201);
        String paymentNo = match(PAYMENT_NO, placed);
        long t0 = System.nanoTime();
        send(http, HttpRequest.newBuilder(base.resolve(match(PAY_URL, placed))).GET(), 302);
        long t1 = System.nanoTime();
        Map<String, String> notify = new TreeMap<>(Map.of("pid", pid, "trade_no", "T" + paymentNo,
                "out_trade_no", paymentNo, "type", "alipay", "name", "Order", "money", "1.00",
                "trade_status", "TRADE_SUCCESS"));
        String signed = notify.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        String sign = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest((signed + key).getBytes(StandardCharsets.UTF_8)));
        String form = notify.entrySet().stream().map(e -> e.getKey() + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"))
                + "&sign=" + sign + "&sign_type=MD5";
        long t2 = System.nanoTime();
        String reply = send(http, HttpRequest.newBuilder(base.resolve("/api/notify/bench-epay"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), 200);
        long t3 = System.nanoTime();
        if (!"success".equals(reply)) {
            throw new IllegalStateException("notify answered " + reply);
        }
        // The floor the two steps stand on: a request through the same server and filters that reads nothing.
        send(http, HttpRequest.newBuilder(base.resolve("/actuator/health/liveness")).GET(), 200);
        long t4 = System.nanoTime();
        return new Sample(t0, (t1 - t0) / 1_000, (t3 - t2) / 1_000, (t4 - t3) / 1_000);
    }

    static void report(List<Sample> samples, long errors, int clients, Duration warmup, Duration measured,
            Path outDir) throws Exception {
        long[] create = samples.stream().mapToLong(Sample::createMicros).sorted().toArray();
        long[] notify = samples.stream().mapToLong(Sample::notifyMicros).sorted().toArray();
        long[] floor = samples.stream().mapToLong(Sample::floorMicros).sorted().toArray();
        String row = "| %s | %d | %s | %s | %s | %s |";
        String md = String.join("\n",
                "# Kami gateway overhead benchmark", "",
                "- Date: " + Instant.now(),
                "- Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs; Java "
                        + System.getProperty("java.version") + "; Kami and the driver share the machine",
                "- Parameters: " + clients + " clients, " + warmup.toSeconds() + " s warm-up, "
                        + measured.toSeconds() + " s measured; channel: an Epay account (no network call in either"
                        + " step); latency seen by the client over loopback HTTP",
                "- Payments measured: " + samples.size() + " (" + String.format(Locale.ROOT, "%.1f",
                        samples.size() / (double) measured.toSeconds()) + "/s, each with an unmeasured order "
                        + "placement); errors: " + errors, "",
                "| step | samples | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|",
                String.format(Locale.ROOT, row, "create payment (`GET /pay/{no}` → 302)", create.length,
                        ms(create, 0.50), ms(create, 0.95), ms(create, 0.99), ms(create, 1.0)),
                String.format(Locale.ROOT, row, "handle notify (`POST /api/notify/{account}` → success)",
                        notify.length, ms(notify, 0.50), ms(notify, 0.95), ms(notify, 0.99), ms(notify, 1.0)),
                String.format(Locale.ROOT, row, "for reference, no database (`GET /actuator/health/liveness`)",
                        floor.length, ms(floor, 0.50), ms(floor, 0.95), ms(floor, 0.99), ms(floor, 1.0)),
                "");
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("gateway-report.md"), md);
        // Every sample in time order, to see whether the slow ones come alone or together (a pause, a sweep).
        long first = samples.stream().mapToLong(Sample::startedNanos).min().orElse(0);
        Files.writeString(outDir.resolve("gateway-samples.csv"), "offset_ms,create_us,notify_us,floor_us\n"
                + samples.stream().sorted(Comparator.comparingLong(Sample::startedNanos))
                        .map(sample -> String.format(Locale.ROOT, "%.3f,%d,%d,%d",
                                (sample.startedNanos() - first) / 1e6, sample.createMicros(), sample.notifyMicros(),
                                sample.floorMicros()))
                        .collect(Collectors.joining("\n")) + "\n");
        Files.writeString(outDir.resolve("gateway-report.json"), String.format(Locale.ROOT,
                "{\"clients\":%d,\"samples\":%d,\"errors\":%d,\"createP50Ms\":%s,\"createP99Ms\":%s,"
                        + "\"notifyP50Ms\":%s,\"notifyP99Ms\":%s,\"floorP50Ms\":%s,\"floorP99Ms\":%s}%n", clients,
                samples.size(), errors, ms(create, 0.5), ms(create, 0.99), ms(notify, 0.5), ms(notify, 0.99),
                ms(floor, 0.5), ms(floor, 0.99)));
        System.out.println(md);
        if (samples.isEmpty() || errors > 0) {
            System.exit(1);
        }
    }

    static String ms(long[] sortedMicros, double fraction) {
        if (sortedMicros.length == 0) {
            return "-";
        }
        int index = (int) Math.min(sortedMicros.length - 1, Math.ceil(fraction * sortedMicros.length) - 1);
        return String.format(Locale.ROOT, "%.2f", sortedMicros[Math.max(0, index)] / 1000.0);
    }

    static String send(HttpClient http, HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.build().uri().getPath() + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body();
    }

    static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + pattern + " in " + text);
        }
        return m.group(1);
    }

    static void log(String message) {
        System.err.println("[GatewayDriver " + Instant.now() + "] " + message);
    }
}
