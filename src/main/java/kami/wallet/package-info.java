/**
 * User wallets: buyers sign up and log in with e-mail and password, top their wallet up through any payment
 * channel, pay orders from it (the built-in {@code wallet} payment channel) and read their balance and history.
 * Every movement of money is a ledger transfer with an id derived from a business number (see docs/ledger.md,
 * "Wallets"), so a retry never moves money twice. Passwords are hashed with BCrypt from spring-security-crypto:
 * a vetted, salted, deliberately slow hash that needs no extra provider (Argon2 there needs BouncyCastle), and
 * nothing else of Spring Security is used.
 */
@NullMarked
@ApplicationModule(displayName = "Wallet", allowedDependencies = {"platform", "ledger", "payment"})
package kami.wallet;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
