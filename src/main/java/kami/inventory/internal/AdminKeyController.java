package kami.inventory.internal;

import kami.inventory.ImportResult;
import kami.inventory.KeyVault;
import kami.inventory.Stock;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AdminKeyController {

    private final KeyVault vault;

    AdminKeyController(KeyVault vault) {
        this.vault = vault;
    }

    @PostMapping(path = "/api/admin/products/{productId}/keys", consumes = MediaType.TEXT_PLAIN_VALUE)
    ImportResult importKeys(@PathVariable long productId, @RequestBody(required = false) String body) {
        return vault.importKeys(productId, body == null ? "" : body);
    }

    @GetMapping("/api/admin/products/{productId}/stock")
    Stock stock(@PathVariable long productId) {
        return vault.stock(productId);
    }
}
