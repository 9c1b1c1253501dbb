package kami.ordering.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import kami.inventory.KeyVault;
import kami.ordering.PlaceOrder;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;

/** Validation of a buyer's order request, in the order the checks are reported. */
final class OrderRequestRules {

    static final int QUANTITY_MIN = 1;
    /** An order's keys are reserved at once, so it takes at most what one reservation may. */
    static final int QUANTITY_MAX = KeyVault.RESERVE_MAX;
    static final int EMAIL_LENGTH_MAX = 254;
    static final int IDEMPOTENCY_KEY_LENGTH_MAX = 200;

    private static final Pattern EMAIL = Pattern.compile("^[^\\s@]+@[^\\s@]+\\.[^\\s@.]+$");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7E]{1,"
            + IDEMPOTENCY_KEY_LENGTH_MAX + "}$");

    private OrderRequestRules() {
    }

    /** A request that passed every check. */
    record ValidOrder(long productId, int quantity, String email, String channel, @Nullable String method,
            @Nullable String bank) {

        String hash() {
            // Requests without a method (or bank) hash as they did before methods (and banks) existed, so their
            // replays still match; the bank is labelled, so it can never be mistaken for a method.
            String canonical = productId + "\n" + quantity + "\n" + email + "\n" + channel
                    + (method == null ? "" : "\n" + method) + (bank == null ? "" : "\nbank=" + bank);
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(canonical.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static ValidOrder validate(PlaceOrder request, String idempotencyKey) {
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.badRequest("INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1 to "
                    + IDEMPOTENCY_KEY_LENGTH_MAX + " printable ASCII characters without spaces");
        }
        if (request.productId() == null) {
            throw ApiException.badRequest("PRODUCT_ID_REQUIRED", "productId is required");
        }
        Integer quantity = request.quantity();
        if (quantity == null || quantity < QUANTITY_MIN || quantity > QUANTITY_MAX) {
            throw ApiException.badRequest("INVALID_QUANTITY", "quantity must be from " + QUANTITY_MIN + " to "
                    + QUANTITY_MAX);
        }
        String email = request.email() == null ? "" : request.email().strip();
        if (email.length() > EMAIL_LENGTH_MAX || !EMAIL.matcher(email).matches()) {
            throw ApiException.badRequest("INVALID_EMAIL", "email must be a valid e-mail address");
        }
        String channel = request.channel() == null ? "" : request.channel().strip();
        if (channel.isEmpty()) {
            throw ApiException.badRequest("CHANNEL_REQUIRED", "channel is required, e.g. \"sandbox\"");
        }
        String method = request.method() == null || request.method().isBlank() ? null : request.method().strip();
        String bank = request.bank() == null || request.bank().isBlank() ? null : request.bank().strip();
        return new ValidOrder(request.productId(), quantity, email, channel, method, bank);
    }
}
