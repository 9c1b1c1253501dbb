package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kami.payment.channel.epay.EpaySimulator;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One channel hanging does not slow the others: its calls time out within its own bulkhead, its path's breaker
 * opens, the cashier stops offering it and choosing it fails fast; once it answers again it comes back, to a
 * growing share of buyers.
 */
class ChannelIsolationTest extends KamiIntegrationTest {

    private static final int CALLS = 12;

    private EpaySimulator sickProvider;
    private EpaySimulator wellProvider;
    private String sick;
    private String well;

    @BeforeEach
    void twoAccounts() {
        sickProvider = EpaySimulator.start();
        wellProvider = EpaySimulator.start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        sick = "sick-" + run;
        well = "well-" + run;
        configure(sick, sickProvider);
        configure(well, wellProvider);
    }

    @AfterEach
    void stopProviders() {
        sickProvider.close();
        wellProvider.close();
    }

    @Test
    void aHangingChannelIsCutOffWithoutSlowingTheOthersAndComesBackGradually() throws Exception {
        long productId = productWithKeys(2 * CALLS + 1, 100);
        List<String> sickPayments = placeOrders(productId, sick);
        List<String> wellPayments = placeOrders(productId, well);
        sickProvider.respondSlowly(Duration.ofSeconds(3));

        List<Long> sickDoneAt = new ArrayList<>();
        List<Long> wellDoneAt = new ArrayList<>();
        runTogether(sickPayments, wellPayments, sickDoneAt, wellDoneAt);

        assertThat(wellDoneAt.stream().mapToLong(Long::longValue).max().orElseThrow())
                .as("every call to the healthy channel finished before the first call to the hanging one gave up")
                .isLessThan(sickDoneAt.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertThat(methods()).contains(well + "/epay.alipay").doesNotContain(sick + "/epay.alipay");
        Http.Response refused = placeOrder(productId, sick);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo("PATH_UNAVAILABLE");
        assertThat(repair(sickPayments.getFirst()).get("channelAnswer").asString())
                .as("an open breaker answers at once, without calling the channel").contains("circuit breaker is open");

        sickProvider.reset();
        Thread.sleep(1_500);
        for (String paymentNo : sickPayments.subList(0, 5)) {
            assertThat(repair(paymentNo).get("channelAnswer").asString()).isEqualTo("NOT_FOUND");
        }
        JsonNode path = http.adminGet("/api/admin/channels/" + sick).json().get("paths").get(0);
        assertThat(path.get("breaker").asString()).isEqualTo("CLOSED");
        assertThat(path.get("share").asDouble()).as("first ramp step").isEqualTo(0.1);
        clock.advance(Duration.ofSeconds(61));
        assertThat(methods()).contains(sick + "/epay.alipay");
    }

    private void runTogether(List<String> sickPayments, List<String> wellPayments, List<Long> sickDoneAt,
            List<Long> wellDoneAt) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> sickCalls = new ArrayList<>();
        List<Future<Long>> wellCalls = new ArrayList<>();
        try (ExecutorService buyers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CALLS; i++) {
                sickCalls.add(buyers.submit(repairAt(start, sickPayments.get(i))));
                wellCalls.add(buyers.submit(repairAt(start, wellPayments.get(i))));
            }
            start.countDown();
            for (Future<Long> call : sickCalls) {
                sickDoneAt.add(call.get());
            }
            for (Future<Long> call : wellCalls) {
                wellDoneAt.add(call.get());
            }
        }
    }

    private Callable<Long> repairAt(CountDownLatch start, String paymentNo) {
        return () -> {
            start.await();
            repair(paymentNo);
            return System.nanoTime();
        };
    }

    private JsonNode repair(String paymentNo) {
        Http.Response response = http.post("/api/admin/payments/" + paymentNo + "/repair", "", "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private List<String> placeOrders(long productId, String account) {
        List<String> payments = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            Http.Response placed = placeOrder(productId, account);
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            payments.add(placed.json().at("/payment/paymentNo").asString());
        }
        return payments;
    }

    private Http.Response placeOrder(long productId, String account) {
        return http.postJson("/api/orders", Map.of("productId", productId, "quantity", 1, "email",
                "buyer@example.com", "channel", account), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    private List<String> methods() {
        return http.get("/api/payment-methods").json().valueStream()
                .map(m -> m.get("channel").asString() + "/" + m.get("method").asString()).toList();
    }

    private void configure(String account, EpaySimulator provider) {
        Http.Response saved = http.adminPutJson("/api/admin/channels/" + account, Map.of("type", "epay",
                "settings", Map.of("gatewayUrl", provider.baseUrl(), "pid", provider.pid(), "key", provider.key())));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }
}
