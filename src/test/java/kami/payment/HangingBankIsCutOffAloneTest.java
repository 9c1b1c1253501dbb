package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bank that stops answering opens only its own path's breaker: payers of other banks, and of the account's
 * other methods, keep being served at full speed meanwhile, and the cashier keeps offering them.
 */
class HangingBankIsCutOffAloneTest extends KamiIntegrationTest {

    /** Enough failed calls for the breaker to judge; with the healthy calls still below the bulkhead (32). */
    private static final int CALLS = 10;

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
    void onlyTheHangingBankIsCutOffWhileTheOthersKeepWorkingUnderLoad() throws Exception {
        long productId = productWithKeys(3 * CALLS + 2, 100);
        List<String> hanging = new ArrayList<>();
        List<String> healthy = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            hanging.add(banking.paymentThrough(productId, "CCB"));
            healthy.add(banking.paymentThrough(productId, "ICBC"));
            healthy.add(placeOrder(productId, 1).at("/payment/paymentNo").asString());
        }
        banking.faults(List.of(), List.of("CCB"));

        List<Long> hangingDoneAt = new ArrayList<>();
        List<Long> healthyDoneAt = new ArrayList<>();
        askTogether(hanging, healthy, hangingDoneAt, healthyDoneAt);

        assertThat(healthyDoneAt.stream().mapToLong(Long::longValue).max().orElseThrow())
                .as("every call through a healthy path finished before the first call to the hanging bank gave up")
                .isLessThan(hangingDoneAt.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertThat(banking.bankPath("CCB").get("breaker").asString()).isEqualTo("OPEN");
        assertThat(banking.bankPath("ICBC").get("breaker").asString()).isEqualTo("CLOSED");
        assertThat(banking.methodPath().get("breaker").asString()).isEqualTo("CLOSED");
        assertThat(banking.offeredBanks()).contains("ICBC", "BOC", "CMB").doesNotContain("CCB");
        assertThat(banking.offeredMethods()).contains("sandbox/sandbox", "sandbox/sandbox.bank");
        Http.Response refused = banking.order(productId, OnlineBanking.METHOD, "CCB");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo("PATH_UNAVAILABLE");
        assertThat(banking.order(productId, OnlineBanking.METHOD, "ICBC").status()).isEqualTo(201);
        assertThat(banking.ask(hanging.getFirst())).as("an open breaker answers at once")
                .contains("circuit breaker is open");
    }

    private void askTogether(List<String> hanging, List<String> healthy, List<Long> hangingDoneAt,
            List<Long> healthyDoneAt) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService payers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> hangingCalls = hanging.stream().map(no -> payers.submit(askAt(start, no))).toList();
            List<Future<Long>> healthyCalls = healthy.stream().map(no -> payers.submit(askAt(start, no))).toList();
            start.countDown();
            for (Future<Long> call : hangingCalls) {
                hangingDoneAt.add(call.get());
            }
            for (Future<Long> call : healthyCalls) {
                healthyDoneAt.add(call.get());
            }
        }
    }

    /** Asks about the payment once the start is given; answers when the answer came. */
    private Callable<Long> askAt(CountDownLatch start, String paymentNo) {
        return () -> {
            start.await();
            banking.ask(paymentNo);
            return System.nanoTime();
        };
    }
}
