package kami.wallet.internal.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Currency;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The checks a top-up request passes, in the precedence of {@link TopUpRejection}. */
public final class TopUpRules {

    public static final int IDEMPOTENCY_KEY_LENGTH_MAX = 200;

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7E]{1,"
            + IDEMPOTENCY_KEY_LENGTH_MAX + "}$");

    private TopUpRules() {
    }

    /** A request as received; any field may be missing. */
    public record Request(@Nullable Long amountMinor, @Nullable String currency, @Nullable String channel,
            @Nullable String method, @Nullable String bank) {

        public Request(@Nullable Long amountMinor, @Nullable String currency, @Nullable String channel,
                @Nullable String method) {
            this(amountMinor, currency, channel, method, null);
        }
    }

    /** A request that passed every check; {@code bank} is checked against the method by the gateway. */
    public record ValidTopUp(long amountMinor, String currency, String channel, @Nullable String method,
            @Nullable String bank) {

        /**
         * Identifies the request's content, so a reused idempotency key with other content is recognised. A
         * request without a bank hashes as it did before banks existed.
         */
        public String hash() {
            String canonical = amountMinor + "\n" + currency + "\n" + channel + "\n" + (method == null ? "" : method)
                    + (bank == null ? "" : "\nbank=" + bank);
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(canonical.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The answer: a valid top-up, or the first rule the request breaks. */
    public sealed interface Result {

        record Valid(ValidTopUp topUp) implements Result {
        }

        record Rejected(TopUpRejection reason) implements Result {
        }
    }

    public static Result validate(Request request, String idempotencyKey, long amountMaxMinor,
            String walletChannel) {
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            return new Result.Rejected(TopUpRejection.INVALID_IDEMPOTENCY_KEY);
        }
        Long amount = request.amountMinor();
        if (amount == null || amount <= 0) {
            return new Result.Rejected(TopUpRejection.INVALID_AMOUNT);
        }
        if (amount > amountMaxMinor) {
            return new Result.Rejected(TopUpRejection.AMOUNT_ABOVE_MAXIMUM);
        }
        if (!isIsoCurrency(request.currency())) {
            return new Result.Rejected(TopUpRejection.INVALID_CURRENCY);
        }
        String channel = request.channel() == null ? "" : request.channel().strip();
        if (channel.isEmpty()) {
            return new Result.Rejected(TopUpRejection.CHANNEL_REQUIRED);
        }
        if (channel.equals(walletChannel)) {
            return new Result.Rejected(TopUpRejection.TOP_UP_CHANNEL_NOT_ALLOWED);
        }
        String method = request.method() == null || request.method().isBlank() ? null : request.method().strip();
        String bank = request.bank() == null || request.bank().isBlank() ? null : request.bank().strip();
        return new Result.Valid(new ValidTopUp(amount, request.currency(), channel, method, bank));
    }

    private static boolean isIsoCurrency(@Nullable String code) {
        if (code == null || code.length() != 3) {
            return false;
        }
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
