package kami.ordering;

/**
 * An order was paid and holds its reserved keys; delivery turns it into delivered keys. Published through the
 * messaging outbox on {@link #TOPIC}, and as an in-process event for listeners inside the payment transaction.
 */
public record OrderPaid(String orderNo, long productId, int quantity) {

    public static final String TOPIC = "ordering.order-paid";
}
