package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A bank whose gateway answers 5xx is cut off alone once its breaker has judged enough calls; when it answers
 * again, its breaker closes after a few trial calls and the bank is offered to a growing share of payers.
 */
class FailingBankComesBackGraduallyTest extends KamiIntegrationTest {

    /** The breaker judges once it has seen this many calls (kami.channels.guard.minimum-calls). */
    private static final int CALLS_TO_JUDGE = 10;
    /** Trial calls a half-open breaker lets through before it closes again. */
    private static final int TRIAL_CALLS = 5;

    @Autowired
    private MeterRegistry meters;

    private OnlineBanking banking;

    @BeforeEach
    void banking() {
        banking = new OnlineBanking(http);
    }

    @AfterEach
    void healthyBanks() {
        banking.faults(List.of(), List.of());
    }

    @Test
    void aFailingBankIsCutOffAloneAndComesBackRampedAfterRecovery() {
        long productId = productWithKeys(CALLS_TO_JUDGE + 1, 100);
        List<String> payments = new ArrayList<>();
        for (int i = 0; i < CALLS_TO_JUDGE; i++) {
            payments.add(banking.paymentThrough(productId, "ABC"));
        }
        banking.faults(List.of("ABC"), List.of());

        for (String paymentNo : payments) {
            assertThat(banking.ask(paymentNo)).startsWith("UNKNOWN").contains("HTTP 503");
        }

        assertThat(banking.bankPath("ABC").get("breaker").asString()).isEqualTo("OPEN");
        assertThat(banking.bankPath("ABC").get("share").asDouble()).isZero();
        assertThat(meters.get("kami.channel.calls").tags("channel", "sandbox", "method", OnlineBanking.METHOD,
                "bank", "ABC", "operation", "query", "outcome", "unknown").timer().count())
                .isGreaterThanOrEqualTo(CALLS_TO_JUDGE);
        assertThat(banking.offeredBanks()).doesNotContain("ABC").contains("ICBC");
        assertThat(banking.order(productId, OnlineBanking.METHOD, "ABC").code()).isEqualTo("PATH_UNAVAILABLE");
        assertThat(jdbc.sql("select count(*) from payment where payment_no in (:nos) and status = 'PENDING'")
                .param("nos", payments).query(Long.class).single())
                .as("an unknown answer is never taken for a failure").isEqualTo(CALLS_TO_JUDGE);

        banking.faults(List.of(), List.of());
        await("breaker half-open after open-for", Duration.ofSeconds(10),
                () -> "HALF_OPEN".equals(banking.bankPath("ABC").get("breaker").asString()));
        for (String paymentNo : payments.subList(0, TRIAL_CALLS)) {
            assertThat(banking.ask(paymentNo)).isEqualTo("PENDING");
        }

        assertThat(banking.bankPath("ABC").get("breaker").asString()).isEqualTo("CLOSED");
        assertThat(banking.bankPath("ABC").get("share").asDouble()).as("first ramp step").isEqualTo(0.1);
        clock.advance(Duration.ofSeconds(31));
        assertThat(banking.bankPath("ABC").get("share").asDouble()).as("second ramp step").isEqualTo(0.5);
        clock.advance(Duration.ofSeconds(30));
        assertThat(banking.bankPath("ABC").get("share").asDouble()).isEqualTo(1.0);
        assertThat(banking.offeredBanks()).contains("ABC");
    }
}
