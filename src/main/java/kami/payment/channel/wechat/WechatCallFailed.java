package kami.payment.channel.wechat;

import com.google.gson.JsonParseException;
import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An SDK call to WeChat Pay that gave no usable answer. Either WeChat Pay refused the request with a 4xx and an
 * error code ({@link #refused()}: it did not act), or there is no answer to trust (timeout, 5xx, a response that
 * fails its signature check or does not parse), and WeChat Pay may have acted.
 *
 * <p>Only the SDK's own failure types are translated, so a bug in this package still surfaces as a bug.
 */
final class WechatCallFailed extends Exception {

    /** Status 0: no HTTP answer at all. */
    static final int NO_STATUS = 0;
    private static final int TOO_MANY_REQUESTS = 429;

    private final int httpStatus;
    private final @Nullable String code;

    private WechatCallFailed(String message, int httpStatus, @Nullable String code, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    /** Runs one SDK call; only the failures the SDK documents for a call become {@code WechatCallFailed}. */
    static <T> T call(Supplier<T> sdkCall) throws WechatCallFailed {
        try {
            return sdkCall.get();
        } catch (ServiceException e) {
            String code = e.getErrorCode();
            throw new WechatCallFailed("HTTP " + e.getHttpStatusCode() + " " + (code == null ? "" : code + " ")
                    + abbreviate(e.getErrorMessage()), e.getHttpStatusCode(), code, e);
        } catch (HttpException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new WechatCallFailed("no answer: " + cause.getClass().getSimpleName() + " "
                    + abbreviate(cause.getMessage()), NO_STATUS, null, e);
        } catch (ValidationException e) {
            throw new WechatCallFailed("the response signature does not verify with the WeChat Pay public key",
                    NO_STATUS, null, e);
        } catch (MalformedMessageException | JsonParseException e) {
            // JsonParseException: a body that is not the JSON promised, e.g. a proxy's HTML error page.
            throw new WechatCallFailed("unreadable response: " + abbreviate(e.getMessage()), NO_STATUS, null, e);
        } catch (IllegalArgumentException e) {
            // The SDK's response validator reports a missing, malformed or expired Wechatpay-Timestamp this way.
            throw new WechatCallFailed("unverifiable response: " + abbreviate(e.getMessage()), NO_STATUS, null, e);
        }
    }

    static void run(Runnable sdkCall) throws WechatCallFailed {
        call(() -> {
            sdkCall.run();
            return null;
        });
    }

    /** WeChat Pay answered with a 4xx error code and did not act; 429 (slow down) is not a refusal. */
    boolean refused() {
        return httpStatus >= 400 && httpStatus < 500 && httpStatus != TOO_MANY_REQUESTS && code != null;
    }

    boolean is(int status, String errorCode) {
        return httpStatus == status && errorCode.equals(code);
    }

    @Nullable String code() {
        return code;
    }

    private static String abbreviate(@Nullable String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
