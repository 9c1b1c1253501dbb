/**
 * The key vault: import with de-duplication through a blind index, encryption at rest, reservation without
 * contention ({@code FOR UPDATE SKIP LOCKED}), sale and read-back for delivered orders.
 */
@NullMarked
@ApplicationModule(displayName = "Inventory", allowedDependencies = {"platform", "catalog"})
package kami.inventory;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
