package kami.inventory.internal;

import java.util.ArrayList;
import java.util.List;
import kami.platform.ApiException;
import org.springframework.http.HttpStatus;

/** Splits an import body into candidate keys and counts the lines that cannot be keys. */
record KeyLines(List<String> keys, int rejected) {

    static final int LINES_MAX = 100_000;
    static final int KEY_LENGTH_MAX = 512;

    static KeyLines parse(String body) {
        String[] lines = body.split("\r?\n", -1);
        int count = lines.length;
        // A final newline ends the last line; it does not start an empty one.
        if (count > 0 && lines[count - 1].isEmpty()) {
            count--;
        }
        if (count > LINES_MAX) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "TOO_MANY_KEYS",
                    "At most " + LINES_MAX + " keys per import request; this one has " + count + " lines");
        }
        List<String> keys = new ArrayList<>(count);
        int rejected = 0;
        for (int i = 0; i < count; i++) {
            String key = lines[i].strip();
            if (key.isEmpty() || key.length() > KEY_LENGTH_MAX || hasControlCharacter(key)) {
                rejected++;
            } else {
                keys.add(key);
            }
        }
        return new KeyLines(keys, rejected);
    }

    private static boolean hasControlCharacter(String key) {
        return key.chars().anyMatch(Character::isISOControl);
    }
}
