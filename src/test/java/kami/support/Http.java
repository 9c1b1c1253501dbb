package kami.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for tests that talk to Kami over real HTTP, as buyers, admins and channels do. Each instance
 * has its own client with its own threads: keep one per server (as {@link KamiProcess#http()} does) rather than one
 * per request.
 */
public final class Http implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Response(int status, String body, HttpResponse<String> raw) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String code() {
            return json().path("code").asString();
        }

        public String contentType() {
            return raw.headers().firstValue("Content-Type").orElse("");
        }
    }

    public Response get(String path, Map<String, String> headers) {
        return send(builder(path, headers).GET());
    }

    public Response get(String path) {
        return get(path, Map.of());
    }

    public Response post(String path, String body, String contentType, Map<String, String> headers) {
        return send(builder(path, headers).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response postJson(String path, Object body, Map<String, String> headers) {
        return post(path, body instanceof String s ? s : JSON.writeValueAsString(body), "application/json", headers);
    }

    public Response adminPost(String path, String body, String contentType) {
        return post(path, body, contentType, Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
    }

    public Response adminGet(String path) {
        return get(path, Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
    }

    public Response adminPutJson(String path, Object body) {
        return send(builder(path, Map.of("Authorization", "Bearer " + ADMIN_TOKEN))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** Ends the client's threads and connections at once; requests still running fail. */
    @Override
    public void close() {
        client.shutdownNow();
    }

    public static String toJson(Object value) {
        return JSON.writeValueAsString(value);
    }

    private HttpRequest.Builder builder(String path, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(builder::header);
        return builder;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
