package kami.payment.channel.epay;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls to the provider's {@code api.php}. Anything short of a readable JSON object in a 200 answer is
 * {@link NoAnswer}: the caller cannot tell whether the provider acted, so it must not decide anything from it.
 */
final class EpayApi {

    /** Real answers are a few hundred bytes; a longer one is an error page or worse, not worth buffering. */
    static final int ANSWER_BYTES_MAX = 64 * 1024;

    /** Decimals stay exact if a provider sends {@code money} as a JSON number instead of a string. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    sealed interface Reply {
    }

    record Answered(JsonNode body) implements Reply {
    }

    record NoAnswer(String reason) implements Reply {
    }

    private final EpaySettings settings;
    private final HttpClient http;

    EpayApi(EpaySettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** {@code GET api.php?<query>}; the protocol puts the merchant key in the query string. */
    Reply get(Map<String, String> query) {
        URI uri = URI.create(settings.endpoint("api.php") + "?" + formEncode(query));
        return send(HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("Accept", "application/json").GET().build());
    }

    /** {@code POST api.php?act=<act>} with the parameters as a form body. */
    Reply post(String act, Map<String, String> form) {
        URI uri = URI.create(settings.endpoint("api.php") + "?act=" + URLEncoder.encode(act, StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form))).build());
    }

    /** {@code k=v&k2=v2}, URL-encoded as UTF-8; empty values are left out as the signature leaves them out. */
    static String formEncode(Map<String, String> parameters) {
        StringJoiner joined = new StringJoiner("&");
        parameters.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                joined.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return joined.toString();
    }

    /** A field of an answer as text (numbers too, since providers send ids either way), or null when absent. */
    static @Nullable String text(JsonNode answer, String field) {
        JsonNode node = answer.get(field);
        if (node == null || node.isNull() || !node.isValueNode()) {
            return null;
        }
        return node.asString();
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return new NoAnswer("HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(ANSWER_BYTES_MAX + 1);
                if (bytes.length > ANSWER_BYTES_MAX) {
                    return new NoAnswer("an answer longer than " + ANSWER_BYTES_MAX + " bytes");
                }
                return parse(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (HttpTimeoutException e) {
            return new NoAnswer("no answer in time (" + e.getMessage() + ")");
        } catch (IOException e) {
            return new NoAnswer(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NoAnswer("interrupted while waiting for the answer");
        }
    }

    /** PHP deployments often emit a byte order mark or stray whitespace before the JSON; both are skipped. */
    private static Reply parse(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("\uFEFF")) {
            trimmed = trimmed.substring(1).strip();
        }
        try {
            JsonNode body = JSON.readTree(trimmed);
            if (body == null || !body.isObject()) {
                return new NoAnswer("an answer that is not a JSON object");
            }
            return new Answered(body);
        } catch (JacksonException e) {
            return new NoAnswer("an answer that is not JSON");
        }
    }
}
