/**
 * Shared kernel: {@link kami.platform.Money}, identifiers, the clock, secrets handling, the embedded database,
 * problem responses and admin authentication. No business rules live here.
 */
@NullMarked
@ApplicationModule(displayName = "Platform", type = ApplicationModule.Type.OPEN)
package kami.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
