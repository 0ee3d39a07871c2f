package io.refarch.sandbox.gcp.gke;

import com.google.container.v1.ReleaseChannel;
import com.google.container.v1.ServerConfig;
import io.refarch.sandbox.gcp.GoogleApiError;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kubernetes versions the emulated GKE offers (serverConfig: valid master and node versions,
 * and per release channel), and how it reads a requested one. Cluster creation accepts any
 * well-formed version, so the seed's gcloud commands (1.22.12-gke.1200) still run; refarch's
 * preflight compares the spec's version with serverConfig, as real GKE would refuse it.
 */
final class GkeVersions {

  /** What "latest" and an omitted version mean here. */
  static final String DEFAULT_VERSION = "1.32.4-gke.1106000";

  private static final List<String> VERSIONS =
      List.of(DEFAULT_VERSION, "1.31.8-gke.1045000", "1.30.12-gke.1151000");
  private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+(\\.\\d+(-gke\\.\\d+)?)?");

  private GkeVersions() {}

  static ServerConfig serverConfig() {
    return ServerConfig.newBuilder()
        .setDefaultClusterVersion(DEFAULT_VERSION)
        .addAllValidMasterVersions(VERSIONS)
        .addAllValidNodeVersions(VERSIONS)
        .setDefaultImageType("COS_CONTAINERD")
        .addValidImageTypes("COS_CONTAINERD")
        .addValidImageTypes("UBUNTU_CONTAINERD")
        .addChannels(channel(ReleaseChannel.Channel.RAPID, VERSIONS.get(0)))
        .addChannels(channel(ReleaseChannel.Channel.REGULAR, VERSIONS.get(1)))
        .addChannels(channel(ReleaseChannel.Channel.STABLE, VERSIONS.get(2)))
        .build();
  }

  /** A release channel as serverConfig lists it: its default and the versions it offers. */
  private static ServerConfig.ReleaseChannelConfig channel(
      ReleaseChannel.Channel channel, String defaultVersion) {
    return ServerConfig.ReleaseChannelConfig.newBuilder()
        .setChannel(channel)
        .setDefaultVersion(defaultVersion)
        .addAllValidVersions(VERSIONS.subList(VERSIONS.indexOf(defaultVersion), VERSIONS.size()))
        .build();
  }

  /**
   * Resolves "latest", "1.31" or "1.31.8" to a full GKE version the way the API does; full versions
   * stay.
   */
  static String resolve(String requested) {
    if (requested.isEmpty() || requested.equals("latest") || requested.equals("-")) {
      return DEFAULT_VERSION;
    }
    if (!VERSION.matcher(requested).matches()) {
      throw GoogleApiError.invalid("Master version \"" + requested + "\" is unsupported.");
    }
    if (requested.contains("-gke.")) {
      return requested;
    }
    return VERSIONS.stream()
        .filter(v -> v.startsWith(requested + ".") || v.startsWith(requested + "-"))
        .findFirst()
        .orElse(
            requested
                + (requested.chars().filter(c -> c == '.').count() == 1 ? ".0" : "")
                + "-gke.100");
  }
}
