package kami.payment.internal;

enum PaymentStatus {
    PENDING,
    SUCCEEDED
}
