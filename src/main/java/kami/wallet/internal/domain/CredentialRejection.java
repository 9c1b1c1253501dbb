package kami.wallet.internal.domain;

/** Why a sign-up was refused, in the order the checks are made. */
public enum CredentialRejection {
    INVALID_EMAIL,
    INVALID_PASSWORD
}
