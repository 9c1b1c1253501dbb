package kami.ledger.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import kami.ledger.BalanceLimit;
import kami.ledger.TransferRejection;
import kami.ledger.TransferRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

/** Whatever a request gets wrong, the reason reported is the first broken rule in the enum's order. */
class LedgerTransferValidationPrecedenceProperties {

    private static final AccountTerms CNY_1 = new AccountTerms(1, "CNY", BalanceLimit.NONE, List.of(1L));
    private static final AccountTerms CNY_2 = new AccountTerms(2, "CNY", BalanceLimit.NONE, List.of(2L));
    private static final AccountTerms USD_3 = new AccountTerms(3, "USD", BalanceLimit.NONE, List.of(3L));

    @Property(tries = 2000)
    void reportsTheFirstBrokenRuleInPrecedenceOrder(@ForAll("requests") TransferRequest request) {
        @Nullable AccountTerms debit = terms(request.debitAccountId());
        @Nullable AccountTerms credit = terms(request.creditAccountId());
        Set<TransferRejection> broken = EnumSet.noneOf(TransferRejection.class);
        if (request.transferId().isBlank()) {
            broken.add(TransferRejection.TRANSFER_ID_MUST_NOT_BE_BLANK);
        }
        if (request.transferId().length() > TransferRules.TRANSFER_ID_LENGTH_MAX) {
            broken.add(TransferRejection.TRANSFER_ID_TOO_LONG);
        }
        if (request.debitAccountId() == request.creditAccountId()) {
            broken.add(TransferRejection.ACCOUNTS_MUST_DIFFER);
        }
        if (request.amountMinor() <= 0) {
            broken.add(TransferRejection.AMOUNT_MUST_BE_POSITIVE);
        }
        if (request.amountMinor() > TransferRules.AMOUNT_MAX_MINOR) {
            broken.add(TransferRejection.AMOUNT_EXCEEDS_MAXIMUM);
        }
        if (request.timeoutSeconds() != null && request.timeoutSeconds() <= 0) {
            broken.add(TransferRejection.TIMEOUT_MUST_BE_POSITIVE);
        }
        if (request.timeoutSeconds() != null && !request.pending()) {
            broken.add(TransferRejection.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER);
        }
        if (debit == null) {
            broken.add(TransferRejection.DEBIT_ACCOUNT_NOT_FOUND);
        }
        if (credit == null) {
            broken.add(TransferRejection.CREDIT_ACCOUNT_NOT_FOUND);
        }
        if ((debit != null && !debit.currency().equals(request.currency()))
                || (credit != null && !credit.currency().equals(request.currency()))) {
            broken.add(TransferRejection.CURRENCY_MISMATCH);
        }
        TransferRejection expected = broken.isEmpty() ? null : broken.iterator().next();
        assertThat(TransferRules.validate(request, debit, credit)).isEqualTo(expected);
    }

    @Property
    void aTransferToASharedAccountAlwaysLandsOnTheSameShard(@ForAll String transferId) {
        AccountTerms hot = new AccountTerms(9, "CNY", BalanceLimit.NONE, List.of(10L, 11L, 12L, 13L));
        long shard = hot.balanceRowFor(transferId);
        assertThat(hot.balanceRowIds()).contains(shard);
        assertThat(hot.balanceRowFor(new String(transferId))).isEqualTo(shard);
    }

    private static @Nullable AccountTerms terms(long id) {
        return id == 1 ? CNY_1 : id == 2 ? CNY_2 : id == 3 ? USD_3 : null;
    }

    @Provide
    Arbitrary<TransferRequest> requests() {
        Arbitrary<String> ids = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("  "),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(140));
        Arbitrary<Long> accounts = Arbitraries.longs().between(1, 4);
        Arbitrary<Long> amounts = Arbitraries.oneOf(Arbitraries.longs().between(-5, 5),
                Arbitraries.of(TransferRules.AMOUNT_MAX_MINOR, TransferRules.AMOUNT_MAX_MINOR + 1));
        Arbitrary<@Nullable Long> timeouts = Arbitraries.longs().between(-1, 2).injectNull(0.4);
        return Combinators.combine(ids, accounts, accounts, amounts, Arbitraries.of("CNY", "USD", "EUR"),
                Arbitraries.of(true, false), timeouts)
                .as((id, debit, credit, amount, currency, pending, timeout) -> new TransferRequest(id, debit,
                        credit, amount, currency, null, pending, timeout));
    }
}
