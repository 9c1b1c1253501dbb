package kami.inventory;

import java.util.Collection;
import java.util.List;
import java.util.Map;

public interface KeyVault {

    /** The most keys one reservation takes; the reservation statement is prepared once per quantity. */
    int RESERVE_MAX = 100;

    /** Keys per line; blank and over-long lines are rejected, keys already stored count as duplicates. */
    ImportResult importKeys(long productId, String lines);

    Stock stock(long productId);

    /** Available keys per product id; products without keys are absent. */
    Map<Long, Long> availableByProduct();

    /**
     * Reserves exactly {@code quantity} keys for the order in the caller's transaction, or none at all.
     * Rows other buyers are reserving are skipped, never waited on.
     *
     * @param quantity 1 to {@link #RESERVE_MAX}
     * @return whether the keys were reserved
     * @throws IllegalArgumentException for a quantity outside 1 to {@link #RESERVE_MAX}
     */
    boolean reserve(long productId, int quantity, String orderNo);

    /** Puts the reserved keys of these orders back on sale; returns how many keys were released. */
    int release(Collection<String> orderNos);

    /** Moves the order's reserved keys to sold; returns how many moved (0 when already sold). */
    int markSold(String orderNo);

    /** The plaintext keys sold to the order, in a stable order. */
    List<String> soldKeys(String orderNo);
}
