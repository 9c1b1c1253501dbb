package kami.payment.channel.epay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;
import kami.payment.channel.ChannelAccount;
import kami.payment.channel.ChannelException;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.CreatedPayment;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyReply;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.PaymentChannel;
import kami.platform.Money;

/**
 * A test bench: an Epay simulator, a notify endpoint that hands notifies to the channel the way Kami's gateway
 * does (a GET's query string becomes the body), and a channel connected to both with a fixed clock.
 */
final class EpayBench implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String ACCOUNT = "epay-main";

    final EpaySimulator simulator = EpaySimulator.start();
    final List<NotifyVerdict> verdicts = new CopyOnWriteArrayList<>();
    final PaymentChannel channel;
    private final HttpServer endpoint;
    private final HttpClient browser = HttpClient.newHttpClient();

    EpayBench() {
        this(Map.of());
    }

    /** Settings given here replace the simulator's, e.g. a wrong key or a short timeout. */
    EpayBench(Map<String, String> settings) {
        try {
            endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        endpoint.createContext("/api/notify/" + ACCOUNT, this::receive);
        endpoint.start();
        channel = connect(settings);
    }

    PaymentChannel connect(Map<String, String> overrides) {
        return new EpayProvider(CLOCK).connect(account(overrides));
    }

    ChannelAccount account(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("gatewayUrl", simulator.baseUrl(),
                "pid", simulator.pid(), "key", simulator.key()));
        settings.putAll(overrides);
        return new ChannelAccount(ACCOUNT, "epay", settings, notifyUrl());
    }

    URI notifyUrl() {
        return URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/api/notify/" + ACCOUNT);
    }

    static ChannelPayment payment(String paymentNo, long fen) {
        return new ChannelPayment(paymentNo, "epay.alipay", Money.of(fen, "CNY"), "Steam key",
                "https://shop.example/orders/" + paymentNo, NOW.plusSeconds(900), null);
    }

    /** Creates the payment and opens its pay URL as the payer's browser would; the provider must accept it. */
    CreatedPayment createAndOpen(ChannelPayment payment) throws ChannelException {
        CreatedPayment created = channel.create(payment);
        assertThat(open(created).statusCode()).as("the simulator accepts the pay URL").isEqualTo(200);
        return created;
    }

    HttpResponse<String> open(CreatedPayment created) {
        try {
            return browser.send(HttpRequest.newBuilder(URI.create(created.payUrl())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    NotifyVerdict verify(Map<String, String> parameters) {
        return channel.verify(new InboundNotify(Map.of(), encode(parameters), NOW));
    }

    static String encode(Map<String, String> parameters) {
        StringJoiner form = new StringJoiner("&");
        parameters.forEach((name, value) -> form.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return form.toString();
    }

    @Override
    public void close() {
        endpoint.stop(0);
        simulator.close();
        browser.close();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = "GET".equals(exchange.getRequestMethod())
                    ? (exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery())
                    : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
            NotifyVerdict verdict = channel.verify(new InboundNotify(headers, body, NOW));
            verdicts.add(verdict);
            NotifyReply reply = verdict instanceof NotifyVerdict.Unverified unverified
                    ? channel.refuse(unverified.reason()) : channel.acknowledge();
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
