package kami.settlement.internal;

import java.util.Currency;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;

final class Currencies {

    /** An ISO 4217 code such as CNY, or the caller's error. */
    static String require(@Nullable String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw ApiException.badRequest("INVALID_CURRENCY", "currency must be an ISO 4217 code such as CNY");
        }
        try {
            return Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_CURRENCY", "unknown currency " + code);
        }
    }

    private Currencies() {
    }
}
