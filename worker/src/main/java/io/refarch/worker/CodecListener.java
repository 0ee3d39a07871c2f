package io.refarch.worker;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The codec server listens on a port of its own ({@code refarch.codec.port}), apart from health and
 * metrics on {@code server.port}: monitoring scrapes the one, the Web UI's users call the other,
 * and each can be exposed (or given TLS by a sidecar) on its own. The port is opened only when
 * {@link CodecAccess} serves the codec at all.
 */
@Configuration
class CodecListener {
  private static final Logger log = LoggerFactory.getLogger(CodecListener.class);
  static final String PORT = "refarch.codec.port (REFARCH_CODEC_PORT)";

  /** The codec server's Tomcat connector; null while the codec is not served. */
  record CodecConnector(Connector connector) {
    /** The port it listens on (the bound one when configured as 0), or -1. */
    int localPort() {
      return connector == null ? -1 : connector.getLocalPort();
    }
  }

  @Bean
  CodecAccess codecAccess(PayloadCodecBeans.CodecKeys keys, WorkerSettings settings) {
    CodecAccess access = CodecAccess.of(keys.keyring() != null, settings.codec());
    if (access.mode() == CodecAccess.Mode.REFUSED) {
      log.warn("Codec server: {}", access.reason());
    } else {
      log.info("Codec server: {}", access.reason());
    }
    return access;
  }

  @Bean
  CodecConnector codecConnector(
      CodecAccess access, WorkerSettings settings, @Value("${server.port:8080}") int serverPort) {
    if (!access.served()) {
      return new CodecConnector(null);
    }
    WorkerSettings.Codec codec = settings.codec();
    int port = codec.port() == null ? 8082 : codec.port();
    if (port < 0 || port > 65535) {
      throw new WorkerMisconfiguration(PORT + " is " + port + ", not a port number");
    }
    if (port != 0 && port == serverPort) {
      throw new WorkerMisconfiguration(
          PORT
              + " is "
              + port
              + ", the port of health and metrics (server.port, REFARCH_WORKER_PORT): give the"
              + " codec server a port of its own");
    }
    Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
    connector.setPort(port);
    String address = codec.address();
    if (address != null
        && !address.isBlank()
        && connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
      try {
        protocol.setAddress(InetAddress.getByName(address.strip()));
      } catch (UnknownHostException e) {
        throw new WorkerMisconfiguration(
            CodecAccess.ADDRESS + " is " + address + ", an unknown host");
      }
    }
    return new CodecConnector(connector);
  }

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> codecPort(CodecConnector codec) {
    return factory -> {
      if (codec.connector() != null) {
        factory.addAdditionalTomcatConnectors(codec.connector());
      }
    };
  }

  /**
   * Keeps the two listeners apart: /codec only on the codec port, everything else (health, metrics)
   * only on the main one.
   */
  @Bean
  FilterRegistrationBean<OncePerRequestFilter> codecPortFilter(
      CodecConnector codec, CodecAccess access) {
    OncePerRequestFilter filter =
        new OncePerRequestFilter() {
          @Override
          protected void doFilterInternal(
              HttpServletRequest request, HttpServletResponse response, FilterChain chain)
              throws ServletException, IOException {
            String path = request.getRequestURI();
            boolean codecPath = path.equals("/codec") || path.startsWith("/codec/");
            boolean onCodecPort =
                codec.connector() != null && request.getLocalPort() == codec.localPort();
            if (codecPath == onCodecPort) {
              chain.doFilter(request, response);
              return;
            }
            String error;
            if (!codecPath) {
              error = "the codec server's port serves /codec only";
            } else if (codec.connector() != null) {
              error = "the codec server listens on port " + codec.localPort();
            } else {
              error = "the codec server is not served: " + access.reason();
            }
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(CodecServer.errorJson(error));
          }
        };
    FilterRegistrationBean<OncePerRequestFilter> registration =
        new FilterRegistrationBean<>(filter);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }
}
