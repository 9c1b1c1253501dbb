package kami.ledger.internal.domain;

import java.util.Objects;
import kami.ledger.Transfer;
import kami.ledger.TransferRejection;
import kami.ledger.TransferRequest;
import kami.ledger.TransferStatus;
import org.jspecify.annotations.Nullable;

/** The checks a transfer passes before it touches the database, in the precedence of {@link TransferRejection}. */
public final class TransferRules {

    public static final int TRANSFER_ID_LENGTH_MAX = 128;
    public static final int REFERENCE_LENGTH_MAX = 256;
    /** Ten trillion minor units: far above any real payment, far below overflowing a running balance. */
    public static final long AMOUNT_MAX_MINOR = 10_000_000_000_000L;

    private TransferRules() {
    }

    /** The first rule the request breaks before idempotency and balances are considered, or null. */
    public static @Nullable TransferRejection validate(TransferRequest request, @Nullable AccountTerms debit,
            @Nullable AccountTerms credit) {
        TransferRejection shape = validateShape(request);
        if (shape != null) {
            return shape;
        }
        if (debit == null) {
            return TransferRejection.DEBIT_ACCOUNT_NOT_FOUND;
        }
        if (credit == null) {
            return TransferRejection.CREDIT_ACCOUNT_NOT_FOUND;
        }
        if (!debit.currency().equals(request.currency()) || !credit.currency().equals(request.currency())) {
            return TransferRejection.CURRENCY_MISMATCH;
        }
        return null;
    }

    static @Nullable TransferRejection validateShape(TransferRequest request) {
        TransferRejection id = validateTransferId(request.transferId());
        if (id != null) {
            return id;
        }
        if (request.debitAccountId() == request.creditAccountId()) {
            return TransferRejection.ACCOUNTS_MUST_DIFFER;
        }
        TransferRejection amount = validateAmount(request.amountMinor());
        if (amount != null) {
            return amount;
        }
        if (request.timeoutSeconds() != null && request.timeoutSeconds() <= 0) {
            return TransferRejection.TIMEOUT_MUST_BE_POSITIVE;
        }
        if (request.timeoutSeconds() != null && !request.pending()) {
            return TransferRejection.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (request.reference() != null && request.reference().length() > REFERENCE_LENGTH_MAX) {
            return TransferRejection.REFERENCE_TOO_LONG;
        }
        return null;
    }

    public static @Nullable TransferRejection validateTransferId(@Nullable String transferId) {
        if (transferId == null || transferId.isBlank()) {
            return TransferRejection.TRANSFER_ID_MUST_NOT_BE_BLANK;
        }
        if (transferId.length() > TRANSFER_ID_LENGTH_MAX) {
            return TransferRejection.TRANSFER_ID_TOO_LONG;
        }
        return null;
    }

    public static @Nullable TransferRejection validateAmount(long amountMinor) {
        if (amountMinor <= 0) {
            return TransferRejection.AMOUNT_MUST_BE_POSITIVE;
        }
        if (amountMinor > AMOUNT_MAX_MINOR) {
            return TransferRejection.AMOUNT_EXCEEDS_MAXIMUM;
        }
        return null;
    }

    /** Whether a recorded transfer is what this request asks for, so that a retry can be answered with it. */
    public static boolean sameFields(TransferRequest request, Transfer recorded) {
        TransferStatus status = request.pending() ? TransferStatus.PENDING : TransferStatus.POSTED;
        return recorded.pendingTransferId() == null
                && recorded.status() == status
                && recorded.debitAccountId() == request.debitAccountId()
                && recorded.creditAccountId() == request.creditAccountId()
                && recorded.amountMinor() == request.amountMinor()
                && recorded.currency().equals(request.currency())
                && Objects.equals(recorded.reference(), request.reference())
                && Objects.equals(recorded.timeoutSeconds(), request.timeoutSeconds());
    }
}
