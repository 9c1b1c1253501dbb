package kami.ledger.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kami.ledger.BalanceLimit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Random sequences of transfers, holds, posts and voids between a limited wallet and an unlimited clearing
 * account, applied the way the ledger applies them: a change is kept only when no limit breaks.
 */
class LedgerBalanceArithmeticProperties {

    enum Kind { FUND, SPEND, HOLD, POST, VOID }

    record Step(Kind kind, long amountMinor, int postPercent) {
    }

    /** Wallet, clearing account and the open holds (amounts) between them, as the ledger would keep them. */
    static final class Books {
        Balance wallet = Balance.empty(BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS);
        Balance clearing = Balance.empty(BalanceLimit.NONE);
        final List<Long> holds = new ArrayList<>();

        void apply(Step step) {
            switch (step.kind()) {
                case FUND -> keep(clearing.debit(step.amountMinor(), false), wallet.credit(step.amountMinor(), false));
                case SPEND -> keep(wallet.debit(step.amountMinor(), false), clearing.credit(step.amountMinor(), false));
                case HOLD -> {
                    if (keep(wallet.debit(step.amountMinor(), true), clearing.credit(step.amountMinor(), true))) {
                        holds.add(step.amountMinor());
                    }
                }
                case POST, VOID -> {
                    if (holds.isEmpty()) {
                        return;
                    }
                    long held = holds.removeFirst();
                    long posted = step.kind() == Kind.VOID ? 0 : held * step.postPercent() / 100;
                    boolean kept = keep(wallet.resolveDebit(held, posted), clearing.resolveCredit(held, posted));
                    assertThat(kept).as("resolving a hold never breaks a limit").isTrue();
                }
            }
        }

        private boolean keep(Balance debited, Balance credited) {
            if (debited.violation() != null || credited.violation() != null) {
                return false;
            }
            Balance newWallet = debited.limit() == wallet.limit() ? debited : credited;
            clearing = debited.limit() == wallet.limit() ? credited : debited;
            wallet = newWallet;
            return true;
        }
    }

    @Property
    void debitsEqualCreditsAfterEverySequence(@ForAll("steps") List<Step> steps) {
        Books books = new Books();
        for (Step step : steps) {
            books.apply(step);
            assertThat(books.wallet.debitsPostedMinor() + books.clearing.debitsPostedMinor())
                    .isEqualTo(books.wallet.creditsPostedMinor() + books.clearing.creditsPostedMinor());
            assertThat(books.wallet.debitsPendingMinor() + books.clearing.debitsPendingMinor())
                    .isEqualTo(books.wallet.creditsPendingMinor() + books.clearing.creditsPendingMinor());
        }
    }

    @Property
    void limitedWalletNeverGoesBelowZeroEvenCountingHolds(@ForAll("steps") List<Step> steps) {
        Books books = new Books();
        for (Step step : steps) {
            books.apply(step);
            Balance wallet = books.wallet;
            assertThat(wallet.creditsPostedMinor() - wallet.debitsPostedMinor() - wallet.debitsPendingMinor())
                    .isGreaterThanOrEqualTo(0);
            assertThat(wallet.debitsPendingMinor()).isEqualTo(books.holds.stream().mapToLong(Long::longValue).sum());
        }
    }

    @Property
    void resolvingMovesTheWholeHoldOutOfPendingAndPostsOnlyThePostedPart(
            @ForAll @LongRange(min = 1, max = 1_000_000) long heldMinor, @ForAll @LongRange(min = 0,
                    max = 1_000_000) long postedMinor) {
        long posted = Math.min(postedMinor, heldMinor);
        Balance held = Balance.empty(BalanceLimit.NONE).debit(heldMinor, true);
        Balance resolved = held.resolveDebit(heldMinor, posted);
        assertThat(resolved.debitsPendingMinor()).isZero();
        assertThat(resolved.debitsPostedMinor()).isEqualTo(posted);
    }

    @Property
    void creditLimitedAccountRefusesCreditsBeyondItsDebits(@ForAll @LongRange(min = 1, max = 1_000) long debitMinor,
            @ForAll @LongRange(min = 1, max = 1_000) long creditMinor) {
        Balance asset = Balance.empty(BalanceLimit.CREDITS_MUST_NOT_EXCEED_DEBITS).debit(debitMinor, false)
                .credit(creditMinor, false);
        assertThat(asset.violation() != null).isEqualTo(creditMinor > debitMinor);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class),
                Arbitraries.longs().between(1, 10_000), Arbitraries.integers().between(0, 100)).as(Step::new);
        return step.list().ofMaxSize(200);
    }
}
