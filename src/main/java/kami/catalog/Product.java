package kami.catalog;

import kami.platform.Money;

public record Product(long id, long merchantId, String name, String description, Money price) {
}
