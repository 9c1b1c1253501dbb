package kami.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kami.support.Http;
import kami.support.KamiProcess;
import kami.support.LocalRabbit;
import kami.support.NetworkLink;
import kami.support.OrderLookups;
import kami.support.ServerDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Kami as three OS processes on the machine's PostgreSQL (and RabbitMQ, for the rabbitmq transport): a front
 * process ({@code api,notify,console}) and two workers. The processes reach PostgreSQL and RabbitMQ through TCP
 * proxies in the test ({@link NetworkLink}), so the network between them can fail while the services stay up.
 * Buyers order and pay without pause while faults hit in a seeded random order: {@code kill -9} of a random
 * process (restarted at once); every database session cut, from the server's side or in the network; the link to
 * the database frozen for a while; the database unreachable for a while (the front's readiness must say so); and,
 * with RabbitMQ, a broker restart and the link to the broker cut and frozen. One message is poison: its order's
 * keys were taken away, so delivery fails; it must end in the dead-letter queue after the retries while the other
 * orders flow, and deliver once replayed after the data is repaired.
 *
 * <p>Faults are spread over the first {@code kami.faults.orders} orders, and buyers go on until the last one has
 * hit. Afterwards every order whose payment was accepted is delivered exactly once, no key is sold twice, the
 * outbox and the queues are empty, nothing is dead-lettered and the ledger reconciles.
 *
 * <p>The suite's short version runs in {@code .ci/run}; the long one (see README, "Fault suite"):
 * {@code ./mvnw -q -B verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FaultSuiteIT
 * -Dkami.faults.orders=10000 -Dkami.faults.kills=20 -Dkami.faults.cuts=5 -Dkami.faults.freezes=2
 * -Dkami.faults.outages=2 -Dkami.faults.broker-restarts=3 -Dkami.faults.broker-cuts=3};
 * {@code -Dkami.faults.transport=rabbitmq} runs one transport.
 */
class FaultSuiteIT {

    static final int ORDERS = Integer.getInteger("kami.faults.orders", 1000);
    static final int KILLS = Integer.getInteger("kami.faults.kills", 5);
    static final int CUTS = Integer.getInteger("kami.faults.cuts", 2);
    /** Database link freezes, and with RabbitMQ as many broker link freezes. */
    static final int FREEZES = Integer.getInteger("kami.faults.freezes", 1);
    /** Database outages: the link refuses every connection for {@link #OUTAGE}. */
    static final int OUTAGES = Integer.getInteger("kami.faults.outages", 1);
    static final Duration OUTAGE = Duration.ofSeconds(15);
    static final int BROKER_RESTARTS = Integer.getInteger("kami.faults.broker-restarts", 1);
    static final int BROKER_CUTS = Integer.getInteger("kami.faults.broker-cuts", 1);
    static final Duration FREEZE = Duration.ofSeconds(5);
    static final String ONLY_TRANSPORT = System.getProperty("kami.faults.transport", "");
    static final int BUYERS = 12;

    private enum Fault {
        KILL, TERMINATE_DATABASE_SESSIONS, CUT_DATABASE_LINK, FREEZE_DATABASE_LINK, DATABASE_OUTAGE, RESTART_BROKER,
        CUT_BROKER_LINK,
        FREEZE_BROKER_LINK
    }

    private final Path logs = Path.of("target", "fault-suite");
    private int frontPort;
    private final List<String> sharedArguments = new ArrayList<>();
    private ServerDatabase database;
    private NetworkLink databaseLink;
    private NetworkLink brokerLink;
    private Path frontData;
    private volatile KamiProcess front;
    private final KamiProcess[] workers = new KamiProcess[2];
    private final AtomicInteger unanswered = new AtomicInteger();

    @ParameterizedTest(name = "transport {0}")
    @ValueSource(strings = {"embedded", "rabbitmq"})
    void paidOrdersAreDeliveredExactlyOnceThroughFaults(String transport) throws Exception {
        Assumptions.assumeTrue(ONLY_TRANSPORT.isEmpty() || ONLY_TRANSPORT.equals(transport),
                "kami.faults.transport=" + ONLY_TRANSPORT);
        LocalRabbit rabbit = transport.equals("rabbitmq") ? LocalRabbit.withFreshVirtualHost("kami-faults") : null;
        database = ServerDatabase.create("kami_faults");
        databaseLink = NetworkLink.to("127.0.0.1", ServerDatabase.PORT);
        brokerLink = rabbit == null ? null : NetworkLink.to("127.0.0.1", LocalRabbit.PORT);
        // Only once the links hold their ports: a port chosen before could be handed out again to a link.
        frontPort = KamiProcess.freePort();
        try {
            sharedArguments.add("--kami.datasource.url=" + database.urlThrough(databaseLink.port()));
            sharedArguments.add("--kami.delivery.sweep-interval=1h");
            if (rabbit != null) {
                sharedArguments.addAll(rabbit.kamiArguments(brokerLink.port()));
            }
            run(transport, rabbit);
        } finally {
            for (KamiProcess worker : workers) {
                if (worker != null) {
                    worker.stop();
                }
            }
            if (front != null) {
                front.stop();
            }
            databaseLink.close();
            database.close();
            if (rabbit != null) {
                brokerLink.close();
                rabbit.close();
            }
        }
    }

    private void run(String transport, LocalRabbit rabbit) throws Exception {
        Instant started = Instant.now();
        frontData = Files.createTempDirectory("kami-faults-");
        front = startFront(transport);
        for (int i = 0; i < workers.length; i++) {
            workers[i] = startWorker(transport, i);
        }
        long productId = front.http().adminPost("/api/admin/products", Http.toJson(Map.of("name", "Faults",
                "description", "", "priceMinor", 100, "currency", "CNY")), "application/json").json().get("id")
                .asLong();
        List<Fault> plan = new ArrayList<>();
        plan.addAll(Collections.nCopies(KILLS, Fault.KILL));
        // Half the cuts (rounded up) at the server, the others in the network.
        plan.addAll(Collections.nCopies(CUTS - CUTS / 2, Fault.TERMINATE_DATABASE_SESSIONS));
        plan.addAll(Collections.nCopies(CUTS / 2, Fault.CUT_DATABASE_LINK));
        plan.addAll(Collections.nCopies(FREEZES, Fault.FREEZE_DATABASE_LINK));
        plan.addAll(Collections.nCopies(OUTAGES, Fault.DATABASE_OUTAGE));
        if (rabbit != null) {
            plan.addAll(Collections.nCopies(BROKER_RESTARTS, Fault.RESTART_BROKER));
            plan.addAll(Collections.nCopies(BROKER_CUTS, Fault.CUT_BROKER_LINK));
            plan.addAll(Collections.nCopies(FREEZES, Fault.FREEZE_BROKER_LINK));
        }
        Random random = new Random(42);
        Collections.shuffle(plan, random);
        // Enough stock for the orders and for those placed while the faults are still being injected (a restart
        // takes seconds, during which buyers go on at about a hundred orders a second).
        int keyCount = ORDERS + 2_000 * plan.size() + 1_000;
        for (int first = 0; first < keyCount; first += 50_000) {
            StringBuilder keys = new StringBuilder();
            for (int i = first; i < Math.min(keyCount, first + 50_000); i++) {
                keys.append("FAULT-KEY-").append(i).append('\n');
            }
            front.http().adminPost("/api/admin/products/" + productId + "/keys", keys.toString(), "text/plain");
        }

        JsonNode poison = payPoisonedOrder(productId);

        ConcurrentLinkedQueue<JsonNode> paid = new ConcurrentLinkedQueue<>();
        AtomicInteger placed = new AtomicInteger();
        AtomicBoolean buying = new AtomicBoolean(true);
        List<String> done = new ArrayList<>();
        try (ExecutorService buyers = Executors.newFixedThreadPool(BUYERS)) {
            for (int b = 0; b < BUYERS; b++) {
                buyers.submit(() -> buy(productId, keyCount - 2 * BUYERS, placed, paid, buying));
            }
            // Faults are spread over the orders; buyers go on until the last fault has hit, so every fault
            // hits under load even when restarts take longer than the orders between two faults.
            int every = Math.max(1, ORDERS / (plan.size() + 1));
            while (done.size() < plan.size() || placed.get() < ORDERS) {
                if (done.size() < plan.size() && placed.get() >= (done.size() + 1) * every) {
                    done.add(inject(plan.get(done.size()), random, transport, rabbit));
                } else {
                    Thread.sleep(50);
                }
            }
            buying.set(false);
        }
        Instant drainStarted = Instant.now();
        assertThat(unanswered.get()).as("pay requests without a definite answer within 3 minutes").isZero();

        Http http = front.http();
        Set<String> soldKeys = new HashSet<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        for (JsonNode order : paid) {
            JsonNode current = OrderLookups.awaitDelivered(http, order, deadline);
            assertThat(current.get("keys")).hasSize(1);
            assertThat(soldKeys.add(current.get("keys").get(0).asString())).as("a key sold twice").isTrue();
        }
        Duration drained = Duration.between(drainStarted, Instant.now());

        // The poison message waited in the dead-letter queue while every other order went through.
        JsonNode deadLetter = awaitDeadLetter(http, poison.get("orderNo").asString());
        assertThat(deadLetter.get("attempts").asInt()).as("first attempt and three retries").isEqualTo(4);
        assertThat(orderStatus(http, poison)).isEqualTo("PAID");
        repairPoisonedOrder(poison);
        assertThat(http.adminPost("/api/admin/messaging/dead-letters/delivery/"
                + deadLetter.get("messageId").asString() + "/replay", "", "application/json").status())
                .isEqualTo(200);
        JsonNode repaired = OrderLookups.awaitDelivered(http, poison, Instant.now().plus(Duration.ofSeconds(60)));
        assertThat(soldKeys.add(repaired.get("keys").get(0).asString())).as("a key sold twice").isTrue();

        JsonNode stock = http.adminGet("/api/admin/products/" + productId + "/stock").json();
        assertThat(stock.get("sold").asLong()).as("sold = delivered").isEqualTo(soldKeys.size());
        assertThat(database.count("select count(*) from customer_order where status = 'DELIVERED'"))
                .as("delivered orders = orders the buyers paid").isEqualTo(paid.size() + 1);
        assertThat(database.count("select count(*) from customer_order where status = 'PAID'"))
                .as("paid, not delivered").isZero();
        awaitEmpty("outbox", "select count(*) from messaging_outbox");
        awaitEmpty("embedded delivery queue", "select count(*) from messaging_delivery");
        awaitQueuesEmpty(http);
        assertThat(http.adminGet("/api/admin/messaging/dead-letters").json()).as("dead letters").isEmpty();
        assertThat(http.adminPost("/api/admin/ledger/reconciliation", "", "application/json").json().get("ok")
                .asBoolean()).isTrue();
        // Every process came through the cuts and the broker restart on its own: ready, and (RabbitMQ) every
        // worker's consumers attached again.
        for (KamiProcess process : List.of(front, workers[0], workers[1])) {
            assertThat(process.http().get("/actuator/health/readiness").status()).isEqualTo(200);
        }
        if (rabbit != null) {
            awaitConsumers(rabbit, Map.of("kami.delivery", 2 * 4, "kami.ordering.refunds", 2 * 4));
        }
        System.out.printf("Fault suite (%s transport): %d orders placed, %d paid and delivered once, poison "
                + "message dead-lettered and replayed; faults %s; lost 0, duplicates 0; drained in %d ms; %d s in "
                + "all%n", transport, placed.get(), paid.size() + 1, done, drained.toMillis(),
                Duration.between(started, Instant.now()).toSeconds());
    }

    /** One buyer: order, pay, remember; a request the killed front did not answer is tried again. */
    private void buy(long productId, int atMost, AtomicInteger placed, ConcurrentLinkedQueue<JsonNode> paid,
            AtomicBoolean buying) {
        while (buying.get() && placed.get() < atMost) {
            JsonNode order = placeOrder(productId);
            placed.incrementAndGet();
            if (pay(order)) {
                paid.add(order);
            } else {
                unanswered.incrementAndGet();
            }
        }
    }

    private JsonNode placeOrder(long productId) {
        String key = UUID.randomUUID().toString();
        while (true) {
            try {
                Http.Response response = front.http().postJson("/api/orders", Map.of("productId", productId,
                        "quantity", 1, "email", "buyer@example.com", "channel", "sandbox"),
                        Map.of("Idempotency-Key", key));
                if (response.status() == 201 || response.status() == 200) {
                    return response.json();
                }
            } catch (RuntimeException frontDown) {
                // Try again once the front is back.
            }
            pause();
        }
    }

    /**
     * Pays until a definite answer: a pay request that died with the process may have been taken, and giving up
     * on it would leave a paid order this test does not know about.
     *
     * @return whether the payer paid (false: no definite answer within 3 minutes)
     */
    private boolean pay(JsonNode order) {
        String payPath = "/sandbox/api/payments/" + order.at("/payment/paymentNo").asString() + "/pay";
        Instant giveUpAt = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(giveUpAt)) {
            try {
                int status = front.http().post(payPath, "", "application/json", Map.of()).status();
                // 409: paid already, by an attempt whose answer was lost with a killed process or a cut
                // connection. The payer has paid, so Kami owes the keys (its notify may still be on its way).
                if (status == 200 || status == 409) {
                    return true;
                }
            } catch (RuntimeException frontDown) {
                // Try again once the front is back.
            }
            pause();
        }
        return false;
    }

    /**
     * An order whose reserved key was moved to a made-up order number before it is paid: its delivery finds no
     * key and fails every time, until {@link #repairPoisonedOrder} moves the key back.
     */
    private JsonNode payPoisonedOrder(long productId) throws Exception {
        JsonNode order = placeOrder(productId);
        String orderNo = order.get("orderNo").asString();
        assertThat(database.update("update vault_key set order_no = 'POISON-" + orderNo + "' where order_no = '"
                + orderNo + "'")).isEqualTo(1);
        assertThat(pay(order)).isTrue();
        return order;
    }

    private void repairPoisonedOrder(JsonNode order) throws Exception {
        String orderNo = order.get("orderNo").asString();
        assertThat(database.update("update vault_key set order_no = '" + orderNo + "' where order_no = 'POISON-"
                + orderNo + "'")).isEqualTo(1);
    }

    private String inject(Fault fault, Random random, String transport, LocalRabbit rabbit) throws Exception {
        switch (fault) {
            case KILL -> {
                int which = random.nextInt(3);
                if (which == 2) {
                    front.killHard();
                    front = startFront(transport);
                    return "kill front";
                }
                workers[which].killHard();
                workers[which] = startWorker(transport, which);
                return "kill worker-" + which;
            }
            case TERMINATE_DATABASE_SESSIONS -> {
                return "terminate " + database.cutConnections() + " database sessions";
            }
            case CUT_DATABASE_LINK -> {
                return "cut " + databaseLink.cut() + " database connections";
            }
            case DATABASE_OUTAGE -> {
                return databaseOutage();
            }
            case FREEZE_DATABASE_LINK -> {
                databaseLink.freeze(FREEZE);
                return "freeze database link " + FREEZE.toSeconds() + " s";
            }
            case RESTART_BROKER -> {
                rabbit.restart(Duration.ofSeconds(3));
                return "restart RabbitMQ";
            }
            case CUT_BROKER_LINK -> {
                return "cut " + brokerLink.cut() + " RabbitMQ connections";
            }
            case FREEZE_BROKER_LINK -> {
                brokerLink.freeze(FREEZE);
                return "freeze RabbitMQ link " + FREEZE.toSeconds() + " s";
            }
            default -> throw new IllegalArgumentException(fault.name());
        }
    }

    private KamiProcess startFront(String transport) throws Exception {
        return KamiProcess.startOnPort(frontPort, frontData, KamiProcess.freePort(),
                logs.resolve(transport + "-front.log"), arguments("--kami.roles=api,notify,console"));
    }

    private KamiProcess startWorker(String transport, int index) throws Exception {
        return KamiProcess.start(Files.createTempDirectory("kami-faults-worker-"), KamiProcess.freePort(),
                logs.resolve(transport + "-worker-" + index + ".log"), arguments("--kami.roles=worker",
                        "--kami.messaging.relay.poll-interval=200ms", "--kami.messaging.poll-interval=200ms",
                        // The sandbox PSP's retries run on workers; like a real PSP they call the notify address.
                        "--kami.channels.sandbox.notify-url=http://127.0.0.1:" + frontPort + "/api/notify/sandbox"));
    }

    private String[] arguments(String... own) {
        List<String> all = new ArrayList<>(sharedArguments);
        all.addAll(List.of(own));
        return all.toArray(String[]::new);
    }

    private static String orderStatus(Http http, JsonNode order) {
        return http.get("/api/orders/" + order.get("orderNo").asString(), Map.of("X-Order-Token",
                order.get("lookupToken").asString())).json().get("status").asString();
    }

    /**
     * The database cannot be reached for a while: the front must say so on its readiness probe (so a load
     * balancer stops sending it buyers) and, like every process, come back on its own once the link is back.
     */
    private String databaseOutage() throws Exception {
        Instant started = Instant.now();
        databaseLink.unplug();
        try {
            Duration noticed = null;
            while (Duration.between(started, Instant.now()).compareTo(OUTAGE) < 0) {
                if (noticed == null && readiness(front) == 503) {
                    noticed = Duration.between(started, Instant.now());
                }
                Thread.sleep(200);
            }
            assertThat(noticed).as("the front's readiness during a %d s database outage", OUTAGE.toSeconds())
                    .isNotNull();
            return "database unreachable " + OUTAGE.toSeconds() + " s (front not ready after " + noticed.toMillis()
                    + " ms)";
        } finally {
            databaseLink.plugIn();
        }
    }

    private static int readiness(KamiProcess process) {
        try {
            return process.http().get("/actuator/health/readiness").status();
        } catch (RuntimeException unanswered) {
            return -1;
        }
    }

    /** Consumers re-attach on their own after broker restarts and cut links; wait a little for the last ones. */
    private static void awaitConsumers(LocalRabbit rabbit, Map<String, Integer> expected) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            Map<String, Integer> consumers = rabbit.consumersByQueue();
            if (consumers.entrySet().containsAll(expected.entrySet())) {
                return;
            }
            assertThat(Instant.now()).as("consumers per queue (two workers, four each): " + consumers)
                    .isBefore(deadline);
            Thread.sleep(500);
        }
    }

    private static JsonNode awaitDeadLetter(Http http, String orderNo) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            for (JsonNode letter : http.adminGet("/api/admin/messaging/dead-letters").json()) {
                if (letter.get("payload").asString().contains(orderNo)) {
                    return letter;
                }
            }
            assertThat(Instant.now()).as("the poison message is not dead-lettered").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private void awaitEmpty(String what, String countSql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (database.count(countSql) > 0) {
            assertThat(Instant.now()).as(what + " still holds rows").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /** Every consumer's queue (for RabbitMQ: the broker's queue depth) and dead-letter queue drained. */
    private static void awaitQueuesEmpty(Http http) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            JsonNode status = http.adminGet("/api/admin/messaging/status").json();
            boolean empty = true;
            for (JsonNode consumer : status.get("consumers")) {
                empty &= consumer.get("lag").asLong() == 0 && consumer.get("deadLetters").asLong() == 0;
            }
            if (empty) {
                return;
            }
            assertThat(Instant.now()).as("messaging still busy: " + status).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
