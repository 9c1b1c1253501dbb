package kami.delivery.internal;

import java.util.OptionalInt;
import kami.inventory.KeyVault;
import kami.ordering.Orders;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** One transaction: the order goes PAID to DELIVERED and its keys RESERVED to SOLD, or nothing changes. */
@Component
class Delivery {

    private final Orders orders;
    private final KeyVault vault;

    Delivery(Orders orders, KeyVault vault) {
        this.orders = orders;
        this.vault = vault;
    }

    /** @return whether this call delivered the order (false: delivered before, or not paid) */
    @Transactional
    public boolean deliver(String orderNo) {
        OptionalInt quantity = orders.markDelivered(orderNo);
        if (quantity.isEmpty()) {
            return false;
        }
        int sold = vault.markSold(orderNo);
        if (sold != quantity.getAsInt()) {
            throw new IllegalStateException("order " + orderNo + " holds " + sold + " reserved keys, expected "
                    + quantity.getAsInt() + "; delivery rolled back");
        }
        return true;
    }
}
