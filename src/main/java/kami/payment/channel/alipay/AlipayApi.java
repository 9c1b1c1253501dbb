package kami.payment.channel.alipay;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayRequest;
import com.alipay.api.AlipayResponse;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the Alipay gateway through the SDK and says whether an answer came back and whether Alipay signed it.
 * The SDK checks the response signature against the Alipay public key whenever the answer is a success or
 * carries a signature; it lets an unsigned error through, so callers believe an error's business meaning
 * (trade not found, refund refused) only when {@link Answered#signed()}.
 */
final class AlipayApi {

    /** {@code code} of an answer that did what was asked; anything else is an error of some kind. */
    static final String CODE_SUCCESS = "10000";
    /** {@code code} of a business refusal, whose {@code sub_code} names the reason. */
    static final String CODE_BUSINESS_FAILED = "40004";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AlipayClient client;

    AlipayApi(AlipayClient client) {
        this.client = client;
    }

    /** What came of one call. */
    sealed interface Answer<T extends AlipayResponse> {
    }

    /** Alipay answered; {@code signed} says the answer carried a signature, which the SDK then verified. */
    record Answered<T extends AlipayResponse>(T response, boolean signed) implements Answer<T> {

        boolean succeeded() {
            return CODE_SUCCESS.equals(response.getCode()) && response.isSuccess();
        }

        /** Alipay refused for one of these reasons and signed the refusal, so the reason can be believed. */
        boolean refusedWith(Set<String> subCodes) {
            String subCode = response.getSubCode();
            return signed && CODE_BUSINESS_FAILED.equals(response.getCode()) && subCode != null
                    && subCodes.contains(subCode);
        }

        boolean refusedWith(String subCode) {
            return refusedWith(Set.of(subCode));
        }

        String error() {
            return "Alipay answered " + response.getCode() + " " + response.getMsg() + " / "
                    + response.getSubCode() + " " + response.getSubMsg();
        }
    }

    /** No usable answer: network trouble, a timeout, an HTTP error, a bad signature, an unreadable body. */
    record NoAnswer<T extends AlipayResponse>(String reason) implements Answer<T> {
    }

    <T extends AlipayResponse> Answer<T> call(AlipayRequest<T> request) {
        T response;
        try {
            response = client.execute(request);
        } catch (AlipayApiException e) {
            return new NoAnswer<>(request.getApiMethodName() + " failed: " + describe(e));
        } catch (RuntimeException e) {
            // The SDK throws bare runtime exceptions for answers it cannot read or verify: its JSON reader on a
            // body that is not an Alipay answer, its signature checker on an answer without a signature. Only
            // the SDK runs inside this call, so this is the answer's fault, not a bug in Kami.
            return new NoAnswer<>(request.getApiMethodName() + " answer unreadable or unverifiable: " + e);
        }
        if (response == null) {
            return new NoAnswer<>(request.getApiMethodName() + " answer empty");
        }
        return new Answered<>(response, signed(response.getBody()));
    }

    private static boolean signed(@Nullable String body) {
        if (body == null) {
            return false;
        }
        try {
            JsonNode sign = JSON.readTree(body).path("sign");
            return sign.isString() && !sign.asString().isBlank();
        } catch (JacksonException e) {
            return false;
        }
    }

    private static String describe(AlipayApiException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = Objects.requireNonNullElse(e.getErrMsg(), Objects.requireNonNullElse(e.getMessage(), ""));
        return root == e ? message : message + " (" + root + ")";
    }
}
