package kami.messaging.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operators' view of messaging: backlog and lag, dead letters, and replaying them to their consumer. */
@RestController
class AdminMessagingController {

    static final int LIMIT_MAX = 1000;

    private static final Logger log = LoggerFactory.getLogger(AdminMessagingController.class);

    private final ConsumerRegistry consumers;
    private final Transport transport;
    private final MessagingMetrics metrics;

    AdminMessagingController(ConsumerRegistry consumers, Transport transport, MessagingMetrics metrics) {
        this.consumers = consumers;
        this.transport = transport;
        this.metrics = metrics;
    }

    record ConsumerStatus(String consumer, Set<String> topics, int concurrency, long lag, long deadLetters) {
    }

    record OutboxStatus(long backlog, @Nullable Long oldestAgeSeconds) {
    }

    record Status(String transport, OutboxStatus outbox, List<ConsumerStatus> consumers) {
    }

    record Replayed(int replayed) {
    }

    @GetMapping("/api/admin/messaging/status")
    Status status() {
        MessagingMetrics.OutboxFigures outbox = metrics.outbox();
        List<ConsumerStatus> list = new ArrayList<>();
        Map<String, Transport.Figures> figures = new LinkedHashMap<>();
        for (RegisteredConsumer consumer : sorted()) {
            Transport.Figures current = transport.figures(consumer);
            figures.put(consumer.name(), current);
            list.add(new ConsumerStatus(consumer.name(), consumer.subscription().topics(), consumer.concurrency(),
                    current.lag(), current.deadLetters()));
        }
        metrics.refresh(outbox, figures);
        return new Status(transport.name(), new OutboxStatus(outbox.backlog(),
                outbox.oldestAge() == null ? null : outbox.oldestAge().toSeconds()), list);
    }

    @GetMapping("/api/admin/messaging/dead-letters")
    List<Transport.DeadLetter> deadLetters(@RequestParam(required = false) @Nullable String consumer,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > LIMIT_MAX) {
            throw ApiException.badRequest("LIMIT_OUT_OF_RANGE", "limit must be 1.." + LIMIT_MAX);
        }
        List<RegisteredConsumer> targets = consumer == null ? sorted() : List.of(find(consumer));
        List<Transport.DeadLetter> letters = new ArrayList<>();
        for (RegisteredConsumer target : targets) {
            letters.addAll(transport.deadLetters(target, limit - letters.size()));
            if (letters.size() >= limit) {
                break;
            }
        }
        return letters;
    }

    @PostMapping("/api/admin/messaging/dead-letters/{consumer}/{messageId}/replay")
    Replayed replay(@PathVariable String consumer, @PathVariable UUID messageId) {
        int replayed = transport.replay(find(consumer), messageId);
        if (replayed == 0) {
            throw ApiException.notFound("DEAD_LETTER_NOT_FOUND", "consumer " + consumer
                    + " has no dead letter " + messageId);
        }
        log.info("Replayed dead letter {} to consumer {}", messageId, consumer);
        return new Replayed(replayed);
    }

    @PostMapping("/api/admin/messaging/dead-letters/{consumer}/replay")
    Replayed replayAll(@PathVariable String consumer) {
        int replayed = transport.replay(find(consumer), null);
        log.info("Replayed {} dead letters to consumer {}", replayed, consumer);
        return new Replayed(replayed);
    }

    /** Keeps the gauges current between requests. */
    @Scheduled(fixedDelayString = "${kami.messaging.metrics-interval:10s}",
            initialDelayString = "${kami.messaging.metrics-interval:10s}")
    void refreshMetrics() {
        try {
            status();
        } catch (RuntimeException e) {
            log.warn("Messaging figures could not be read: {}", e.getMessage());
        }
    }

    private RegisteredConsumer find(String name) {
        return consumers.find(name).orElseThrow(() -> ApiException.notFound("CONSUMER_NOT_FOUND",
                "no consumer " + name));
    }

    private List<RegisteredConsumer> sorted() {
        return consumers.all().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }
}
