package kami.inventory.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Per product, the lowest key id worth scanning from when reserving. Every reservation leaves index entries of
 * no-longer-available keys at the front of the available-keys index until vacuum removes them; starting every
 * scan at the lowest id would step over all of them and make each order slower than the one before. The cursor
 * is only a starting point: a reservation that finds too few keys above it scans again from the start, so keys
 * below it (released by another node, or skipped while a buyer whose transaction later failed held them) are
 * still sold, merely later.
 */
@Component
class ReservationCursors {

    private final ConcurrentMap<Long, Long> lowestWorthScanning = new ConcurrentHashMap<>();

    long startFor(long productId) {
        return lowestWorthScanning.getOrDefault(productId, 0L);
    }

    /** Keys up to {@code id} were just reserved. */
    void reservedUpTo(long productId, long id) {
        lowestWorthScanning.merge(productId, id + 1, Math::max);
    }

    /** Key {@code id} is on sale again. */
    void released(long productId, long id) {
        lowestWorthScanning.merge(productId, id, Math::min);
    }
}
