package kami.inventory;

public record Stock(long available, long reserved, long sold) {
}
