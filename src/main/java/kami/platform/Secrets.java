package kami.platform;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.prf.Prf;

/**
 * Data keys for a named purpose, created on first use and kept in the database wrapped by the master key.
 * Tink keysets carry key ids, so a keyset can be rotated while old ciphertexts stay readable.
 */
public interface Secrets {

    /** Authenticated encryption for the purpose, e.g. the key vault. */
    Aead aead(String purpose);

    /** A keyed pseudo-random function for the purpose, e.g. a blind index or an access token. */
    Prf prf(String purpose);
}
