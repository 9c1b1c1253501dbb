package kami.payment.channel.epay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A strict Epay provider on a loopback port, for tests: {@code submit.php} creates orders only with a correct
 * merchant id and MD5 signature, {@code api.php} answers {@code act=order} and {@code act=refund} with the
 * merchant key, and {@link #pay} pays an order and sends the signed notify over HTTP. It signs with its own
 * code, not Kami's, so a test passing against it shows Kami's signature is the protocol's.
 */
public final class EpaySimulator implements AutoCloseable {

    public enum NotifyMethod { GET, POST }

    /** An order on the simulator's books; amounts in fen. */
    public record Trade(String tradeNo, String outTradeNo, String type, String name, long moneyFen,
            String notifyUrl, String returnUrl, boolean paid, long refundedFen) {
    }

    /** A notify as sent and the merchant's answer to it. */
    public record Notified(Map<String, String> parameters, int status, String responseBody) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern MONEY = Pattern.compile("[0-9]{1,13}(\\.[0-9]{1,2})?");
    private static final Set<String> TYPES = Set.of("alipay", "wxpay", "qqpay");
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String pid = String.valueOf(1000 + RANDOM.nextInt(9000));
    private final String key = newKey();
    private final Map<String, Trade> trades = new ConcurrentHashMap<>();
    private final Map<String, String> paidAt = new ConcurrentHashMap<>();
    private final AtomicLong tradeCounter = new AtomicLong();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient notifier = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpServer server;
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile FixedAnswer fixedAnswer;

    private record FixedAnswer(int status, String body) {
    }

    private EpaySimulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static EpaySimulator start() {
        try {
            return new EpaySimulator();
        } catch (IOException e) {
            throw new IllegalStateException("the Epay simulator could not listen on loopback", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public String pid() {
        return pid;
    }

    public String key() {
        return key;
    }

    public Optional<Trade> trade(String outTradeNo) {
        return Optional.ofNullable(trades.get(outTradeNo));
    }

    /** Every answer waits this long first, to outlast a client's timeout. */
    public void respondSlowly(Duration delay) {
        answerDelay = delay;
    }

    /** Every answer is this HTTP status with an error page, as a failing proxy in front of a provider gives. */
    public void failWith(int httpStatus) {
        answerWith(httpStatus, "<h1>" + httpStatus + " Bad Gateway</h1>");
    }

    /** Every answer is this status and body, whatever was asked: a PHP warning page, a garbled answer. */
    public void answerWith(int httpStatus, String body) {
        fixedAnswer = new FixedAnswer(httpStatus, body);
    }

    /** Ends the fault switches; orders stay. */
    public void reset() {
        answerDelay = Duration.ZERO;
        fixedAnswer = null;
    }

    public Notified pay(String outTradeNo) {
        return pay(outTradeNo, NotifyMethod.POST);
    }

    /** The payer pays (again paying is harmless); the signed notify goes to the order's notify_url. */
    public Notified pay(String outTradeNo, NotifyMethod method) {
        Trade trade = trades.computeIfPresent(outTradeNo, (no, t) -> t.paid() ? t : new Trade(t.tradeNo(),
                t.outTradeNo(), t.type(), t.name(), t.moneyFen(), t.notifyUrl(), t.returnUrl(), true, t.refundedFen()));
        if (trade == null) {
            throw new IllegalArgumentException("the simulator has no order " + outTradeNo);
        }
        paidAt.putIfAbsent(outTradeNo, ZonedDateTime.now(BEIJING).format(TIME));
        Map<String, String> notify = new LinkedHashMap<>();
        notify.put("pid", pid);
        notify.put("trade_no", trade.tradeNo());
        notify.put("out_trade_no", trade.outTradeNo());
        notify.put("type", trade.type());
        notify.put("name", trade.name());
        notify.put("money", yuan(trade.moneyFen()));
        notify.put("trade_status", "TRADE_SUCCESS");
        notify.put("sign", sign(notify));
        notify.put("sign_type", "MD5");
        return send(trade.notifyUrl(), notify, method);
    }

    /** The protocol's MD5 signature over these parameters with this simulator's key. */
    public String sign(Map<String, String> parameters) {
        StringJoiner content = new StringJoiner("&");
        new TreeMap<>(parameters).forEach((name, value) -> {
            if (!name.equals("sign") && !name.equals("sign_type") && !value.isEmpty()) {
                content.add(name + "=" + value);
            }
        });
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest((content + key).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        notifier.close();
    }

    private Notified send(String notifyUrl, Map<String, String> parameters, NotifyMethod method) {
        String form = encode(parameters);
        HttpRequest request = method == NotifyMethod.GET
                ? HttpRequest.newBuilder(URI.create(notifyUrl + (notifyUrl.contains("?") ? "&" : "?") + form))
                        .timeout(Duration.ofSeconds(5)).GET().build()
                : HttpRequest.newBuilder(URI.create(notifyUrl)).timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = notifier.send(request, HttpResponse.BodyHandlers.ofString());
            return new Notified(parameters, response.statusCode(), response.body());
        } catch (IOException e) {
            return new Notified(parameters, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Notified(parameters, 0, "interrupted");
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Thread.sleep(answerDelay);
            FixedAnswer fixed = fixedAnswer;
            if (fixed != null) {
                answer(exchange, fixed.status(), "text/html;charset=UTF-8", fixed.body());
                return;
            }
            Map<String, String> parameters = parameters(exchange);
            switch (exchange.getRequestURI().getPath()) {
                case "/submit.php" -> submit(exchange, parameters);
                case "/api.php" -> answer(exchange, 200, "application/json", api(parameters));
                default -> answer(exchange, 404, "text/html", "<h1>404 Not Found</h1>");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up (a timeout test); there is nobody left to answer.
        }
    }

    private void submit(HttpExchange exchange, Map<String, String> p) throws IOException {
        String problem = submitProblem(p);
        if (problem != null) {
            answer(exchange, 400, "text/html;charset=UTF-8", "<h3>" + problem + "</h3>");
            return;
        }
        long fen = fen(p.get("money"));
        Trade created = new Trade(newTradeNo(), p.get("out_trade_no"), p.get("type"), p.get("name"), fen,
                p.get("notify_url"), p.getOrDefault("return_url", ""), false, 0);
        Trade trade = trades.putIfAbsent(created.outTradeNo(), created);
        if (trade != null && trade.moneyFen() != fen) {
            answer(exchange, 400, "text/html;charset=UTF-8", "<h3>订单号已存在</h3>");
            return;
        }
        answer(exchange, 200, "text/html;charset=UTF-8", "<h1>收银台</h1><p>" + yuan(fen) + "</p>");
    }

    private String submitProblem(Map<String, String> p) {
        for (String field : new String[] {"pid", "type", "out_trade_no", "notify_url", "name", "money", "sign"}) {
            if (p.getOrDefault(field, "").isEmpty()) {
                return "缺少参数 " + field;
            }
        }
        if (!pid.equals(p.get("pid"))) {
            return "商户不存在";
        }
        if (!"MD5".equals(p.get("sign_type")) || !MessageDigest.isEqual(sign(p).getBytes(StandardCharsets.UTF_8),
                p.get("sign").getBytes(StandardCharsets.UTF_8))) {
            return "签名校验失败";
        }
        if (!TYPES.contains(p.get("type"))) {
            return "支付方式不存在";
        }
        if (!MONEY.matcher(p.get("money")).matches() || fen(p.get("money")) <= 0) {
            return "金额不合法";
        }
        return null;
    }

    private synchronized String api(Map<String, String> p) {
        if (!pid.equals(p.get("pid")) || !key.equals(p.get("key"))) {
            return json(Map.of("code", -1, "msg", "商户密钥错误"));
        }
        Trade trade = find(p);
        String act = p.getOrDefault("act", "");
        if (!act.equals("order") && !act.equals("refund")) {
            return json(Map.of("code", -1, "msg", "No Act"));
        }
        if (trade == null) {
            return json(Map.of("code", -1, "msg", "订单号不存在"));
        }
        return act.equals("order") ? order(trade) : refund(trade, p.getOrDefault("money", ""));
    }

    private String order(Trade trade) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", 1);
        answer.put("msg", "查询订单号成功！");
        answer.put("trade_no", trade.tradeNo());
        answer.put("out_trade_no", trade.outTradeNo());
        answer.put("type", trade.type());
        answer.put("pid", Integer.parseInt(pid));
        answer.put("addtime", ZonedDateTime.now(BEIJING).format(TIME));
        answer.put("endtime", paidAt.getOrDefault(trade.outTradeNo(), ""));
        answer.put("name", trade.name());
        answer.put("money", yuan(trade.moneyFen()));
        answer.put("status", trade.paid() ? 1 : 0);
        return json(answer);
    }

    private String refund(Trade trade, String money) {
        if (!trade.paid()) {
            return json(Map.of("code", -1, "msg", "订单未支付"));
        }
        if (!MONEY.matcher(money).matches() || fen(money) <= 0) {
            return json(Map.of("code", -1, "msg", "退款金额不合法"));
        }
        if (trade.refundedFen() + fen(money) > trade.moneyFen()) {
            return json(Map.of("code", -1, "msg", "退款金额不能大于订单金额"));
        }
        trades.put(trade.outTradeNo(), new Trade(trade.tradeNo(), trade.outTradeNo(), trade.type(), trade.name(),
                trade.moneyFen(), trade.notifyUrl(), trade.returnUrl(), true, trade.refundedFen() + fen(money)));
        return json(Map.of("code", 1, "msg", "退款成功"));
    }

    private Trade find(Map<String, String> p) {
        String tradeNo = p.get("trade_no");
        if (tradeNo != null && !tradeNo.isEmpty()) {
            return trades.values().stream().filter(t -> t.tradeNo().equals(tradeNo)).findFirst().orElse(null);
        }
        return trades.get(p.getOrDefault("out_trade_no", ""));
    }

    private static String newKey() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private String newTradeNo() {
        return ZonedDateTime.now(BEIJING).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                + String.format("%06d", tradeCounter.incrementAndGet());
    }

    /** Query string and form body together, as PHP's {@code $_REQUEST} sees them. */
    private static Map<String, String> parameters(HttpExchange exchange) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>();
        decode(exchange.getRequestURI().getRawQuery(), parameters);
        try (InputStream body = exchange.getRequestBody()) {
            decode(new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8), parameters);
        }
        return parameters;
    }

    private static void decode(String form, Map<String, String> into) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                into.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
    }

    private static String encode(Map<String, String> parameters) {
        StringJoiner form = new StringJoiner("&");
        parameters.forEach((name, value) -> form.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return form.toString();
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String json(Map<String, ?> answer) {
        return JsonMapper.shared().writeValueAsString(answer);
    }

    private static long fen(String yuan) {
        return new BigDecimal(yuan).movePointRight(2).longValueExact();
    }

    private static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }
}
