package kami.ledger.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.Supplier;
import kami.ledger.TransferRejection;
import kami.ledger.TransferRequest;
import kami.ledger.TransferResult;
import org.jspecify.annotations.Nullable;

/**
 * Bookkeeping of a concurrent test: which transfer ids the ledger applied, how often, with which fields, and
 * whether retries of recent attempts were answered as they must be.
 */
final class AppliedOnce {

    /**
     * A transfer (or resolution) under one id, with the same fields and with other fields.
     *
     * @param request the transfer, for attempts that can be batched
     */
    record Attempt(String transferId, Supplier<TransferResult> same, Supplier<TransferResult> different,
            @Nullable TransferRequest request) {
    }

    private final Map<String, AtomicInteger> timesApplied = new ConcurrentHashMap<>();
    private final Map<String, Boolean> appliedWithSameFields = new ConcurrentHashMap<>();
    private final Queue<String> surprises = new ConcurrentLinkedQueue<>();
    private final AtomicReferenceArray<Attempt> recent;

    AppliedOnce(int recentMax) {
        this.recent = new AtomicReferenceArray<>(recentMax);
    }

    /** Makes an attempt for the first time and remembers it for retries; true if it was applied. */
    boolean attempt(Attempt attempt) {
        TransferResult result = attempt.same().get();
        recent.set(ThreadLocalRandom.current().nextInt(recent.length()), attempt);
        return record(attempt.transferId(), result, true);
    }

    /**
     * Retries a recent attempt. If it was applied, a retry with the fields it was applied with answers with it
     * and a retry with the other fields is refused; either way it is never applied again. (An attempt first
     * rejected may be applied by a retry, with either set of fields.)
     */
    void retryRecent(boolean sameFields) {
        Attempt earlier = recent.get(ThreadLocalRandom.current().nextInt(recent.length()));
        if (earlier == null) {
            return;
        }
        Boolean withSameFields = appliedWithSameFields.get(earlier.transferId());
        TransferResult result = (sameFields ? earlier.same() : earlier.different()).get();
        record(earlier.transferId(), result, sameFields);
        if (withSameFields == null) {
            return;
        }
        boolean replayed = result instanceof TransferResult.Applied applied && applied.replayed();
        boolean refused = result instanceof TransferResult.Rejected rejected
                && rejected.reason() == TransferRejection.EXISTS_WITH_DIFFERENT_FIELDS;
        if (withSameFields == sameFields ? !replayed : !refused) {
            surprises.add(earlier.transferId() + " retried with " + (sameFields ? "the same" : "other")
                    + " fields: " + result);
        }
    }

    /** Makes the attempts for the first time as one batch and remembers them for retries, one by one. */
    void attemptBatch(List<Attempt> attempts, Function<List<Attempt>, List<TransferResult>> batch) {
        List<TransferResult> results = batch.apply(attempts);
        for (int i = 0; i < attempts.size(); i++) {
            recent.set(ThreadLocalRandom.current().nextInt(recent.length()), attempts.get(i));
            record(attempts.get(i).transferId(), results.get(i), true);
        }
    }

    Collection<Integer> timesApplied() {
        return timesApplied.values().stream().map(AtomicInteger::get).toList();
    }

    int transferIds() {
        return timesApplied.size();
    }

    List<String> surprises() {
        return List.copyOf(surprises);
    }

    private boolean record(String transferId, TransferResult result, boolean sameFields) {
        if (result instanceof TransferResult.Applied applied && !applied.replayed()) {
            timesApplied.computeIfAbsent(transferId, k -> new AtomicInteger()).incrementAndGet();
            appliedWithSameFields.put(transferId, sameFields);
            return true;
        }
        return false;
    }
}
