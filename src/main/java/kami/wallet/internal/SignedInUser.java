package kami.wallet.internal;

/** The user a request's bearer token belongs to. */
record SignedInUser(long id, String email) {
}
