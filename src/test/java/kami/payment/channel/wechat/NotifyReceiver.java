package kami.payment.channel.wechat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyReply;
import kami.payment.channel.NotifyVerdict;
import kami.payment.channel.PaymentChannel;

/**
 * Stands in for Kami's notify endpoint: verifies each notify with the channel, answers as the channel says
 * (acknowledge when verified, refuse otherwise) and keeps the verdicts for the test to inspect.
 */
final class NotifyReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<InboundNotify> notifies = new CopyOnWriteArrayList<>();
    private final List<NotifyVerdict> verdicts = new CopyOnWriteArrayList<>();
    private volatile PaymentChannel channel;

    NotifyReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/notify/", this::handle);
        server.start();
    }

    URI url(String accountName) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/notify/" + accountName);
    }

    void answerWith(PaymentChannel channel) {
        this.channel = channel;
    }

    NotifyVerdict lastVerdict() {
        return verdicts.getLast();
    }

    /** The last notify exactly as received, for replaying it. */
    InboundNotify lastNotify() {
        return notifies.getLast();
    }

    void clear() {
        notifies.clear();
        verdicts.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            InboundNotify notify = new InboundNotify(headers, body, Instant.now());
            NotifyVerdict verdict = channel.verify(notify);
            notifies.add(notify);
            verdicts.add(verdict);
            NotifyReply reply = verdict instanceof NotifyVerdict.Unverified unverified
                    ? channel.refuse(unverified.code()) : channel.acknowledge();
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
