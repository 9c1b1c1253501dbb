/**
 * Demo data for the embedded quick start: a demo merchant with three products and twenty keys each, seeded
 * on the first start only.
 */
@NullMarked
@ApplicationModule(displayName = "Demo data", allowedDependencies = {"platform", "catalog", "inventory"})
package kami.demo;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
