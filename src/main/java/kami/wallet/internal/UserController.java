package kami.wallet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Sign-up, login and logout of wallet users. */
@RestController
class UserController {

    private final WalletUsers users;

    UserController(WalletUsers users) {
        this.users = users;
    }

    record Credentials(@Nullable String email, @Nullable String password) {
    }

    record UserCreated(long id, String email) {
    }

    record LoggedIn(String token, Instant expiresAt) {
    }

    @PostMapping("/api/users")
    ResponseEntity<UserCreated> signUp(@RequestBody Credentials credentials) {
        WalletUsers.User user = users.signUp(credentials.email(), credentials.password());
        return ResponseEntity.status(HttpStatus.CREATED).body(new UserCreated(user.id(), user.email()));
    }

    @PostMapping("/api/users/login")
    LoggedIn login(@RequestBody Credentials credentials) {
        WalletUsers.Session session = users.login(credentials.email(), credentials.password());
        return new LoggedIn(session.token(), session.expiresAt());
    }

    /** Ends the session of the token sent; the token no longer opens the wallet. */
    @PostMapping("/api/users/logout")
    ResponseEntity<Void> logout(@RequestHeader(name = "Authorization", required = false) @Nullable String authorization,
            HttpServletResponse response) {
        if (!users.logout(authorization)) {
            throw WalletAuthentication.unauthenticated(response);
        }
        return ResponseEntity.noContent().build();
    }
}
