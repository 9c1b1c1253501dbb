package kami.payment.channel.wechat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kami.payment.channel.ChannelAccount;
import kami.payment.channel.wechat.SimulatorBooks.Answer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A strict WeChat Pay API v3 on a loopback port, for tests: every request must carry a valid merchant signature
 * (else 401 SIGN_ERROR), every response is signed with the simulator's own platform key (public-key mode, id
 * {@code PUB_KEY_ID_…}), and notifies go to the order's notify_url over real HTTP, encrypted with the APIv3 key.
 * Trades live in memory. Fault switches make it slow, failing, or sign wrongly.
 */
public final class WechatPaySimulator implements AutoCloseable {

    /** How a notify is spoiled on its way out. */
    public enum NotifyFault {
        NONE,
        /** Signed ten minutes ago. */
        STALE_TIMESTAMP,
        /** Names a public key id other than the simulator's. */
        WRONG_SERIAL,
        /** The summary is edited after signing; the resource still decrypts. */
        TAMPERED_BODY,
        /** The ciphertext is altered after signing. */
        TAMPERED_CIPHERTEXT,
        /** Signed with a key that is not the platform key. */
        FORGED_SIGNATURE,
        /** Encrypted with another APIv3 key, then signed properly. */
        WRONG_APIV3_KEY,
        /** Properly signed and encrypted, but for another merchant id. */
        OTHER_MERCHANT
    }

    /** The merchant's answer to a notify. */
    public record Delivery(int status, String body) {
    }

    public record Trade(String outTradeNo, String appId, String description, long totalFen, String notifyUrl,
            String codeUrl, @Nullable String timeExpire, String state, @Nullable String transactionId,
            @Nullable Instant successTime) {

        Trade withState(String newState, @Nullable String newTransactionId, @Nullable Instant newSuccessTime) {
            return new Trade(outTradeNo, appId, description, totalFen, notifyUrl, codeUrl, timeExpire, newState,
                    newTransactionId, newSuccessTime);
        }
    }

    public record RefundRecord(String outRefundNo, String outTradeNo, String refundId, long refundFen, String status,
            @Nullable String notifyUrl, Instant createdAt, @Nullable Instant successTime) {

        RefundRecord withStatus(String newStatus, @Nullable Instant newSuccessTime) {
            return new RefundRecord(outRefundNo, outTradeNo, refundId, refundFen, newStatus, notifyUrl, createdAt,
                    newSuccessTime);
        }
    }

    static final Duration SIGNATURE_AGE_MAX = Duration.ofMinutes(5);
    static final String OTHER_MCH_ID = "1900000001";
    private static final Pattern AUTHORIZATION_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern TRADE_PATH = Pattern.compile("/v3/pay/transactions/out-trade-no/([^/]+)");
    private static final Pattern CLOSE_PATH = Pattern.compile("/v3/pay/transactions/out-trade-no/([^/]+)/close");
    private static final Pattern REFUND_PATH = Pattern.compile("/v3/refund/domestic/refunds/([^/]+)");

    private final MerchantKeys merchant;
    private final KeyPair platformKeys = MerchantKeys.rsa2048();
    private final KeyPair impostorKeys = MerchantKeys.rsa2048();
    private final String publicKeyId = "PUB_KEY_ID_" + SimulatorCrypto.randomDigits(30);
    private final String apiV3Key = SimulatorCrypto.randomAlphanumeric(32);
    private final String mchId = "19" + SimulatorCrypto.randomDigits(8);
    private final String appId = "wx" + SimulatorCrypto.randomAlphanumeric(16).toLowerCase();
    private final SimulatorBooks books = new SimulatorBooks(mchId, appId);
    private final SimulatorNotifier notifier;
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicInteger signatureRejections = new AtomicInteger();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile int failureStatus;
    private volatile boolean signWrongly;
    private volatile boolean omitSignatures;
    private volatile boolean answerAsAnotherMerchant;

    private WechatPaySimulator(MerchantKeys merchant) throws IOException {
        this.merchant = merchant;
        this.notifier = new SimulatorNotifier(json, platformKeys, impostorKeys, publicKeyId, apiV3Key);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static WechatPaySimulator start(MerchantKeys merchant) {
        try {
            return new WechatPaySimulator(merchant);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the WeChat Pay simulator", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String mchId() {
        return mchId;
    }

    public String appId() {
        return appId;
    }

    public String apiV3Key() {
        return apiV3Key;
    }

    public String publicKeyId() {
        return publicKeyId;
    }

    public PublicKey platformPublicKey() {
        return platformKeys.getPublic();
    }

    /** Settings of a Kami account for this simulator and merchant, with short timeouts for tests. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mchId", mchId);
        settings.put("appId", appId);
        settings.put("merchantSerialNumber", merchant.serialNumber());
        settings.put("privateKey", merchant.privateKeyPem());
        settings.put("apiV3Key", apiV3Key);
        settings.put("publicKeyId", publicKeyId);
        settings.put("publicKey", MerchantKeys.pem("PUBLIC KEY", platformKeys.getPublic().getEncoded()));
        settings.put("baseUrl", baseUrl());
        settings.put("connectTimeoutMs", "1000");
        settings.put("readTimeoutMs", "1000");
        return settings;
    }

    public ChannelAccount account(String name, URI notifyUrl) {
        return new ChannelAccount(name, "wechat", settings(), notifyUrl);
    }

    public Optional<Trade> trade(String outTradeNo) {
        return books.trade(outTradeNo);
    }

    public Optional<RefundRecord> refund(String outRefundNo) {
        return books.refundRecord(outRefundNo);
    }

    public List<RefundRecord> refundsOf(String outTradeNo) {
        return books.refundsOf(outTradeNo);
    }

    /** Requests turned away with 401 SIGN_ERROR since the start or the last reset. */
    public int signatureRejections() {
        return signatureRejections.get();
    }

    /** The payer pays: the trade becomes SUCCESS and a TRANSACTION.SUCCESS notify goes to its notify_url. */
    public Delivery pay(String outTradeNo) {
        books.markPaid(outTradeNo, Instant.now());
        return sendNotify(outTradeNo, NotifyFault.NONE);
    }

    /** Sends the trade's current state as a TRANSACTION.SUCCESS notify, spoiled as asked. */
    public Delivery sendNotify(String outTradeNo, NotifyFault fault) {
        Trade trade = books.trade(outTradeNo).orElseThrow();
        Map<String, Object> resource = SimulatorBooks.transactionJson(trade,
                fault == NotifyFault.OTHER_MERCHANT ? OTHER_MCH_ID : mchId);
        return notifier.send(URI.create(trade.notifyUrl()), "TRANSACTION.SUCCESS", "transaction", resource, fault);
    }

    /** WeChat Pay finishes a refund (SUCCESS, CLOSED or ABNORMAL) and notifies its notify_url. */
    public Delivery finishRefund(String outRefundNo, String status) {
        RefundRecord refund = books.finishRefund(outRefundNo, status, Instant.now());
        Trade trade = books.trade(refund.outTradeNo()).orElseThrow();
        Map<String, Object> resource = SimulatorBooks.json("mchid", mchId, "out_trade_no", refund.outTradeNo(),
                "transaction_id", trade.transactionId(), "out_refund_no", outRefundNo, "refund_id",
                refund.refundId(), "refund_status", status, "user_received_account", "支付用户零钱",
                "amount", SimulatorBooks.json("total", trade.totalFen(), "refund", refund.refundFen(),
                        "payer_total", trade.totalFen(), "payer_refund", refund.refundFen()));
        if (refund.successTime() != null) {
            resource.put("success_time", WechatStates.rfc3339(refund.successTime()));
        }
        URI to = URI.create(refund.notifyUrl() == null ? trade.notifyUrl() : refund.notifyUrl());
        return notifier.send(to, "REFUND." + status, "refund", resource, NotifyFault.NONE);
    }

    /** Every API answer waits this long first. */
    public void respondSlowly(Duration delay) {
        responseDelay = delay;
    }

    /** Every API call fails with this status (502, 503 and 504 with an HTML page, as a proxy sends); 0 to stop. */
    public void failWith(int httpStatus) {
        failureStatus = httpStatus;
    }

    /** Responses are signed with a key that is not the platform key. */
    public void signResponsesWrongly(boolean wrongly) {
        signWrongly = wrongly;
    }

    /** Responses carry no Wechatpay-* signature headers at all. */
    public void omitResponseSignatures(boolean omit) {
        omitSignatures = omit;
    }

    /** Order queries answer, properly signed, with another merchant's mchid (a routing mix-up at WeChat Pay). */
    public void answerAsAnotherMerchant(boolean another) {
        answerAsAnotherMerchant = another;
    }

    /** Clears trades, refunds, counters and fault switches. */
    public void reset() {
        books.clear();
        signatureRejections.set(0);
        responseDelay = Duration.ZERO;
        failureStatus = 0;
        signWrongly = false;
        omitSignatures = false;
        answerAsAnotherMerchant = false;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!responseDelay.isZero()) {
                Thread.sleep(responseDelay);
            }
            if (failureStatus != 0) {
                fail(exchange, failureStatus);
                return;
            }
            String signatureProblem = signatureProblem(exchange, body);
            if (signatureProblem != null) {
                signatureRejections.incrementAndGet();
                respond(exchange, Answer.error(401, "SIGN_ERROR", signatureProblem));
                return;
            }
            respond(exchange, answer(exchange, body));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Answer answer(HttpExchange exchange, String body) {
        try {
            return route(exchange, body);
        } catch (JacksonException e) {
            return Answer.error(400, "PARAM_ERROR", "body is not JSON");
        }
    }

    private Answer route(HttpExchange exchange, String body) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Instant now = Instant.now();
        Matcher trade = TRADE_PATH.matcher(path);
        Matcher close = CLOSE_PATH.matcher(path);
        Matcher refund = REFUND_PATH.matcher(path);
        if (method.equals("POST") && path.equals("/v3/pay/transactions/native")) {
            return books.prepay(json.readTree(body));
        } else if (method.equals("GET") && trade.matches()) {
            Answer answer = books.queryTrade(trade.group(1), query(exchange, "mchid"), now);
            if (answerAsAnotherMerchant && answer.body() != null) {
                answer.body().put("mchid", OTHER_MCH_ID);
            }
            return answer;
        } else if (method.equals("POST") && close.matches()) {
            return books.close(close.group(1), json.readTree(body), now);
        } else if (method.equals("POST") && path.equals("/v3/refund/domestic/refunds")) {
            return books.refund(json.readTree(body), now);
        } else if (method.equals("GET") && refund.matches()) {
            return books.queryRefund(refund.group(1));
        }
        return Answer.error(404, "NOT_FOUND", "no such API: " + method + " " + path);
    }

    /** Checks the merchant's Authorization header as WeChat Pay does; null when it holds. */
    private @Nullable String signatureProblem(HttpExchange exchange, String body) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String scheme = "WECHATPAY2-SHA256-RSA2048 ";
        if (header == null || !header.startsWith(scheme)) {
            return "Authorization must use " + scheme.strip();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = AUTHORIZATION_PARAMETER.matcher(header.substring(scheme.length()));
        while (matcher.find()) {
            parameters.put(matcher.group(1), matcher.group(2));
        }
        for (String name : List.of("mchid", "nonce_str", "timestamp", "serial_no", "signature")) {
            if (parameters.getOrDefault(name, "").isEmpty()) {
                return "Authorization lacks " + name;
            }
        }
        if (!mchId.equals(parameters.get("mchid"))) {
            return "unknown mchid";
        }
        if (!merchant.serialNumber().equalsIgnoreCase(parameters.get("serial_no"))) {
            return "serial_no is not the merchant certificate's";
        }
        if (!parameters.get("timestamp").matches("[0-9]{1,12}")) {
            return "timestamp is not a number of seconds";
        }
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(parameters.get("timestamp")));
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(SIGNATURE_AGE_MAX) > 0) {
            return "timestamp too far from now";
        }
        URI uri = exchange.getRequestURI();
        String url = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String message = exchange.getRequestMethod() + "\n" + url + "\n" + parameters.get("timestamp") + "\n"
                + parameters.get("nonce_str") + "\n" + body + "\n";
        return SimulatorCrypto.verify(merchant.publicKey(), message, parameters.get("signature")) ? null
                : "signature does not verify with the merchant certificate";
    }

    private void fail(HttpExchange exchange, int status) throws IOException {
        if (status == 502 || status == 503 || status == 504) {
            byte[] page = "<html><body>Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(status, page.length);
            exchange.getResponseBody().write(page);
            return;
        }
        respond(exchange, Answer.error(status, status == 429 ? "FREQUENCY_LIMITED" : "SYSTEM_ERROR",
                "simulated failure"));
    }

    private void respond(HttpExchange exchange, Answer answer) throws IOException {
        String body = answer.body() == null ? "" : json.writeValueAsString(answer.body());
        if (!omitSignatures) {
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            String nonce = SimulatorCrypto.randomAlphanumeric(32);
            KeyPair signer = signWrongly ? impostorKeys : platformKeys;
            exchange.getResponseHeaders().set("Wechatpay-Timestamp", timestamp);
            exchange.getResponseHeaders().set("Wechatpay-Nonce", nonce);
            exchange.getResponseHeaders().set("Wechatpay-Signature",
                    SimulatorCrypto.sign(signer.getPrivate(), timestamp + "\n" + nonce + "\n" + body + "\n"));
            exchange.getResponseHeaders().set("Wechatpay-Serial", publicKeyId);
        }
        exchange.getResponseHeaders().set("Request-ID", SimulatorCrypto.randomAlphanumeric(24));
        if (body.isEmpty()) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static @Nullable String query(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
