package kami.ordering;

/** An order was paid and holds its reserved keys; delivery turns it into delivered keys. */
public record OrderPaid(String orderNo, long productId, int quantity) {
}
