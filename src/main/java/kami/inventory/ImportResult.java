package kami.inventory;

/** What a key import did: stored keys, keys already in the vault (or repeated in the request), bad lines. */
public record ImportResult(int imported, int duplicates, int rejected) {
}
