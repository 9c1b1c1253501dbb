package kami.platform.internal;

import java.io.IOException;

/** Thrown while reading a request body that grows past its limit (also for chunked bodies without a length). */
class PayloadTooLargeException extends IOException {

    PayloadTooLargeException(long limitBytes) {
        super("The request body exceeds the limit of " + limitBytes + " bytes for this endpoint");
    }
}
