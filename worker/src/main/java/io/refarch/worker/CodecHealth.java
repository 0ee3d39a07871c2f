package io.refarch.worker;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The codec server's state in /actuator/health ("codec"): whether it is served, how callers
 * authenticate and, when it is not served, why. Always UP: the worker runs workflows either way.
 */
@Component("codec")
class CodecHealth implements HealthIndicator {
  private final CodecAccess access;
  private final CodecListener.CodecConnector connector;

  CodecHealth(CodecAccess access, CodecListener.CodecConnector connector) {
    this.access = access;
    this.connector = connector;
  }

  @Override
  public Health health() {
    Health.Builder health = Health.up().withDetails(access.details());
    if (connector.connector() != null) {
      health.withDetail("port", connector.localPort());
    }
    return health.build();
  }
}
