package kami.payment.channel.alipay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A strict stand-in for Alipay's open-API gateway on a loopback port, for tests of the channel and, later, of
 * the whole gateway. It has its own RSA-2048 key pair and checks the merchant application's signature on every
 * request as Alipay does; a request it cannot verify changes nothing. Trades are created when the payer opens
 * the signed pay page URL; {@link #pay} and its siblings act as the payer and post Alipay's signed notify to the
 * trade's {@code notify_url} over real HTTP.
 */
public final class AlipaySimulator implements AutoCloseable {

    public static final String SELLER_ID = "2088102147948060";
    static final String BUYER_ID = "2088102146225135";
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    /** Alipay rejects requests whose {@code timestamp} is far from its own clock. */
    static final Duration TIMESTAMP_SKEW_MAX = Duration.ofMinutes(15);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TIME_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String appId;
    private final Clock clock;
    private final KeyPair alipayKeys = Rsa2.newKeyPair();
    /** Signs answers while {@link #forgeResponseSignatures()} is on: valid RSA, wrong key. */
    private final KeyPair forgerKeys = Rsa2.newKeyPair();
    private final Map<String, SimulatedTrade> trades = new ConcurrentHashMap<>();
    private final SimulatedGateway gateway;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile @Nullable PublicKey appPublicKey;
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile int failureStatus;
    private volatile boolean forgeSignatures;
    private volatile boolean omitSignatures;
    private volatile boolean unreadable;
    private volatile @Nullable String lastNotifyBody;

    private AlipaySimulator(String appId, Clock clock) throws IOException {
        this.appId = appId;
        this.clock = clock;
        this.gateway = new SimulatedGateway(trades, clock);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/gateway.do", this::exchange);
        server.setExecutor(executor);
        server.start();
    }

    public static AlipaySimulator start(String appId) {
        return start(appId, Clock.systemUTC());
    }

    public static AlipaySimulator start(String appId, Clock clock) {
        try {
            return new AlipaySimulator(appId, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh RSA-2048 key pair, as Alipay's key tool makes for a merchant application. */
    public static KeyPair newAppKeys() {
        return Rsa2.newKeyPair();
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public String gatewayUrl() {
        return baseUrl() + "/gateway.do";
    }

    public String appId() {
        return appId;
    }

    public String alipayPublicKeyBase64() {
        return Rsa2.base64(alipayKeys.getPublic());
    }

    /** What the operator uploads on the open platform: the application's public key, X.509 base64. */
    public void registerAppPublicKey(String base64) {
        try {
            appPublicKey = java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key", e);
        }
    }

    /** The settings a Kami account of type {@code alipay} needs to talk to this simulator. */
    public Map<String, String> settingsFor(KeyPair appKeys) {
        registerAppPublicKey(Rsa2.base64(appKeys.getPublic()));
        return Map.of("gatewayUrl", gatewayUrl(), "appId", appId, "privateKey", Rsa2.base64(appKeys.getPrivate()),
                "alipayPublicKey", alipayPublicKeyBase64(), "sellerId", SELLER_ID);
    }

    /** A snapshot of one trade as Alipay's books have it. */
    public record TradeView(String outTradeNo, String tradeNo, String totalAmount, String status,
            String refundedAmount, int refundCount) {
    }

    public Optional<TradeView> trade(String outTradeNo) {
        synchronized (gateway) {
            return Optional.ofNullable(trades.get(outTradeNo)).map(SimulatedTrade::view);
        }
    }

    /** The payer opens the pay page URL that the channel returned; answers the HTTP status and page. */
    public HttpResponse<String> open(String payUrl) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(payUrl)).GET().timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The payer pays an opened trade; Alipay notifies. Answers the body Kami replied with. */
    public String pay(String outTradeNo) {
        return change(outTradeNo, "WAIT_BUYER_PAY", trade -> {
            trade.status = "TRADE_SUCCESS";
            trade.paidAt = clock.instant();
        });
    }

    /** The paid trade can no longer be refunded (Alipay's refund period is over); Alipay notifies. */
    public String finish(String outTradeNo) {
        return change(outTradeNo, "TRADE_SUCCESS", trade -> trade.status = "TRADE_FINISHED");
    }

    /** The unpaid trade times out at Alipay; Alipay notifies. */
    public String expire(String outTradeNo) {
        return change(outTradeNo, "WAIT_BUYER_PAY", trade -> {
            trade.status = "TRADE_CLOSED";
            trade.closedAt = clock.instant();
        });
    }

    /** Alipay's notify about an accepted refund: the trade's fields plus the refund's. */
    public String notifyRefund(String outTradeNo, String outRequestNo) {
        Map<String, String> fields;
        String notifyUrl;
        synchronized (gateway) {
            SimulatedTrade trade = existing(outTradeNo);
            SimulatedTrade.Refund refund = trade.refunds.get(outRequestNo);
            if (refund == null) {
                throw new IllegalStateException("no refund " + outRequestNo + " on " + outTradeNo);
            }
            fields = trade.notifyFields();
            fields.put("out_biz_no", outRequestNo);
            fields.put("refund_fee", trade.refunded().toPlainString());
            fields.put("gmt_refund", TIME_MILLIS.format(refund.at().atZone(BEIJING)));
            notifyUrl = trade.notifyUrl;
        }
        return postNotify(notifyUrl, fields);
    }

    private String change(String outTradeNo, String requiredStatus, java.util.function.Consumer<SimulatedTrade> step) {
        Map<String, String> fields;
        String notifyUrl;
        synchronized (gateway) {
            SimulatedTrade trade = existing(outTradeNo);
            trade.expireIfDue(clock.instant());
            if (!trade.status.equals(requiredStatus)) {
                throw new IllegalStateException(outTradeNo + " is " + trade.status + ", not " + requiredStatus);
            }
            step.accept(trade);
            fields = trade.notifyFields();
            notifyUrl = trade.notifyUrl;
        }
        return postNotify(notifyUrl, fields);
    }

    private SimulatedTrade existing(String outTradeNo) {
        SimulatedTrade trade = trades.get(outTradeNo);
        if (trade == null) {
            throw new IllegalStateException("no trade " + outTradeNo + ": the payer never opened its page");
        }
        return trade;
    }

    private String postNotify(String notifyUrl, Map<String, String> tradeFields) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("notify_time", beijing(clock.instant()));
        fields.put("notify_type", "trade_status_sync");
        fields.put("notify_id", UUID.randomUUID().toString().replace("-", ""));
        fields.put("app_id", appId);
        fields.put("auth_app_id", appId);
        fields.put("seller_id", SELLER_ID);
        fields.put("charset", "utf-8");
        fields.put("version", "1.0");
        fields.putAll(tradeFields);
        String body = signedForm(fields);
        lastNotifyBody = body;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(notifyUrl)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A notify form as Alipay would sign it: for tests that build notifies of their own. */
    public String signedForm(Map<String, String> fields) {
        Map<String, String> signed = new LinkedHashMap<>(fields);
        signed.put("sign_type", "RSA2");
        signed.put("sign", Rsa2.sign(Rsa2.content(signed, "sign", "sign_type"), alipayKeys.getPrivate()));
        return form(signed);
    }

    /** The body of the last notify posted, exactly as sent. */
    public @Nullable String lastNotifyBody() {
        return lastNotifyBody;
    }

    /** Every gateway answer (and page) comes this late, so a client's read timeout runs out first. */
    public void respondSlowly(Duration delay) {
        responseDelay = delay;
    }

    /** Every gateway request fails with this HTTP status and an HTML error page, as a broken proxy would. */
    public void failWith(int httpStatus) {
        failureStatus = httpStatus;
    }

    /** Answers are signed with a key that is not Alipay's: a man in the middle, or a misconfigured public key. */
    public void forgeResponseSignatures() {
        forgeSignatures = true;
    }

    /** Answers carry no signature at all. */
    public void omitResponseSignatures() {
        omitSignatures = true;
    }

    /** Gateway answers are 200 with a page that is no Alipay answer, as a captive portal or proxy would send. */
    public void answerUnreadably() {
        unreadable = true;
    }

    /** All fault switches off; trades stay. */
    public void reset() {
        responseDelay = Duration.ZERO;
        failureStatus = 0;
        forgeSignatures = false;
        omitSignatures = false;
        unreadable = false;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        http.close();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!responseDelay.isZero()) {
                Thread.sleep(responseDelay);
            }
            if (failureStatus != 0) {
                send(exchange, failureStatus, "text/html;charset=utf-8", "<html><body>" + failureStatus
                        + " Bad Gateway</body></html>");
                return;
            }
            if (unreadable) {
                send(exchange, 200, "text/html;charset=utf-8", "<html><body>Please sign in to the Wi-Fi</body></html>");
                return;
            }
            Map<String, String> params = params(exchange);
            String method = params.getOrDefault("method", "");
            String problem = SimulatedRequests.problem(params, appId, appPublicKey, clock.instant());
            if (exchange.getRequestMethod().equals("GET")) {
                page(exchange, method, params, problem);
            } else {
                Map<String, Object> answer = problem != null ? SimulatedGateway.error("40002", "Invalid Arguments",
                        problem, "请求被拒绝") : gateway.call(method, biz(params));
                send(exchange, 200, "application/json;charset=utf-8", signedAnswer(method, answer));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void page(HttpExchange exchange, String method, Map<String, String> params, @Nullable String problem)
            throws IOException {
        if (problem == null && !method.equals("alipay.trade.page.pay") && !method.equals("alipay.trade.wap.pay")) {
            problem = "isv.invalid-method";
        }
        if (problem == null) {
            problem = gateway.openPage(method, params, biz(params));
        }
        if (problem != null) {
            send(exchange, 400, "text/html;charset=utf-8", "<html><body>支付宝 错误代码 " + problem + "</body></html>");
            return;
        }
        send(exchange, 200, "text/html;charset=utf-8", "<html><head><title>支付宝 - 网上支付 安全快速！</title></head>"
                + "<body>out_trade_no " + biz(params).path("out_trade_no").asString() + "</body></html>");
    }

    /** {"<method>_response":{...},"sign":"..."}, the signature over the exact text of the inner object. */
    private String signedAnswer(String method, Map<String, Object> answer) {
        String node = (method.isEmpty() ? "error" : method.replace('.', '_')) + "_response";
        String inner = JSON.writeValueAsString(answer);
        if (omitSignatures) {
            return "{\"" + node + "\":" + inner + "}";
        }
        KeyPair signer = forgeSignatures ? forgerKeys : alipayKeys;
        return "{\"" + node + "\":" + inner + ",\"sign\":\"" + Rsa2.sign(inner, signer.getPrivate()) + "\"}";
    }

    private static JsonNode biz(Map<String, String> params) {
        String biz = params.getOrDefault("biz_content", "{}");
        return JSON.readTree(biz.isEmpty() ? "{}" : biz);
    }

    private static Map<String, String> params(HttpExchange exchange) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        decodeInto(query == null ? "" : query, params);
        decodeInto(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), params);
        return params;
    }

    private static void decodeInto(String form, Map<String, String> params) {
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
    }

    static String form(Map<String, String> fields) {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((name, value) -> form.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return form.toString();
    }

    static String beijing(Instant instant) {
        return TIME.format(instant.atZone(BEIJING));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
