/**
 * The buyer-facing product list (JSON and pages): product list, order form, order page with live status.
 */
@NullMarked
@ApplicationModule(displayName = "Storefront",
        allowedDependencies = {"platform", "catalog", "inventory", "ordering", "payment"})
package kami.storefront;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
