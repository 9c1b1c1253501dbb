package kami.payment.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import kami.payment.channel.ChannelAccount;
import kami.payment.channel.ChannelException;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyReply;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.PaymentChannel;
import kami.platform.Money;

/**
 * An Alipay account wired to a fresh simulator: the merchant's key pair, the channel, and a small notify
 * endpoint that does what the gateway does with a notify (verify, then acknowledge or refuse) and keeps the
 * verdicts for the test to read.
 */
final class AlipayTestbed implements AutoCloseable {

    static final String APP_ID = "2021004100000001";
    static final String ACCOUNT = "alipay-main";
    private static final AtomicLong PAYMENT_NUMBERS = new AtomicLong(System.currentTimeMillis());

    final Clock clock = Clock.systemUTC();
    final KeyPair appKeys = AlipaySimulator.newAppKeys();
    final AlipaySimulator alipay = AlipaySimulator.start(APP_ID, clock);
    final List<NotifyVerdict> verdicts = new CopyOnWriteArrayList<>();
    private final HttpServer merchant;
    private volatile PaymentChannel channel;

    AlipayTestbed() {
        this(Map.of());
    }

    /** With these settings in place of, or added to, the ones the simulator hands out. */
    AlipayTestbed(Map<String, String> settings) {
        try {
            merchant = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        merchant.createContext("/api/notify/" + ACCOUNT, this::receive);
        merchant.start();
        channel = connect(settings);
    }

    PaymentChannel channel() {
        return channel;
    }

    PaymentChannel connect(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(alipay.settingsFor(appKeys));
        settings.putAll(overrides);
        return new AlipayProvider(clock).connect(new ChannelAccount(ACCOUNT, "alipay", settings, notifyUrl()));
    }

    URI notifyUrl() {
        return URI.create("http://127.0.0.1:" + merchant.getAddress().getPort() + "/api/notify/" + ACCOUNT);
    }

    /** Posts a notify body to the notify endpoint as anyone on the internet could; answers Kami's reply. */
    String postNotify(String body) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(notifyUrl()).POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/x-www-form-urlencoded").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** Makes this channel the one notifies are verified with. */
    void use(PaymentChannel replacement) {
        channel = replacement;
    }

    static ChannelPayment payment(long fen) {
        return payment(fen, AlipayChannel.METHOD_PAGE);
    }

    static ChannelPayment payment(long fen, String method) {
        return new ChannelPayment("P" + PAYMENT_NUMBERS.incrementAndGet(), method, Money.of(fen, "CNY"),
                "Kami key · 1 month", "https://shop.example/orders/1", Instant.now().plus(Duration.ofMinutes(15)),
                null);
    }

    static ChannelRefund refund(String refundNo, ChannelPayment payment, long fen) {
        return new ChannelRefund(refundNo, payment.paymentNo(), "", Money.of(fen, "CNY"), payment.amount(),
                "buyer asked", null);
    }

    /** Creates the payment and opens its pay page as the payer would; Alipay now has the trade. */
    ChannelPayment opened(ChannelPayment payment) throws ChannelException {
        String payUrl = channel.create(payment).payUrl();
        assertThat(alipay.open(payUrl).statusCode()).as("pay page of %s", payment.paymentNo()).isEqualTo(200);
        return payment;
    }

    ChannelPayment paid(ChannelPayment payment) throws ChannelException {
        opened(payment);
        assertThat(alipay.pay(payment.paymentNo())).isEqualTo("success");
        return payment;
    }

    NotifyVerdict lastVerdict() {
        assertThat(verdicts).as("notifies received").isNotEmpty();
        return verdicts.getLast();
    }

    NotifyVerdict verify(String body) {
        return channel.verify(new InboundNotify(Map.of("content-type", "application/x-www-form-urlencoded"), body,
                Instant.now()));
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            NotifyVerdict verdict = channel.verify(new InboundNotify(headers, body, Instant.now()));
            verdicts.add(verdict);
            NotifyReply reply = verdict instanceof NotifyVerdict.Unverified unverified
                    ? channel.refuse(unverified.reason()) : channel.acknowledge();
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        merchant.stop(0);
        alipay.close();
    }
}
