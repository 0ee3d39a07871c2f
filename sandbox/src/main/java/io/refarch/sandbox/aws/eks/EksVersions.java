package io.refarch.sandbox.aws.eks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The Kubernetes versions the sandbox's EKS offers: what CreateCluster accepts and
 * DescribeClusterVersions lists. 1.22 to 1.34, so the eksctl seed's 1.22 runs here; AWS itself
 * offers only the versions still in standard or extended support (1.22 is long past both).
 */
public final class EksVersions {

  /** Oldest first. */
  public static final List<String> OFFERED =
      IntStream.rangeClosed(22, 34).mapToObj(minor -> "1." + minor).toList();

  /** From this version on in standard support, older ones in extended support (AWS's split). */
  private static final int STANDARD_FROM = 32;

  private EksVersions() {}

  public static boolean offered(String version) {
    return OFFERED.contains(version);
  }

  /** DescribeClusterVersions' ClusterVersionInformation of an offered version. */
  public static ObjectNode information(String version) {
    int minor = Integer.parseInt(version.substring(version.indexOf('.') + 1));
    boolean standard = minor >= STANDARD_FROM;
    ObjectNode info = Json.object();
    info.put("clusterVersion", version);
    info.put("clusterType", "eks");
    info.put("defaultPlatformVersion", "eks.1");
    info.put("defaultVersion", version.equals(Eks.DEFAULT_VERSION));
    info.put("kubernetesPatchVersion", version + ".0");
    info.put("status", standard ? "standard-support" : "extended-support");
    info.put("versionStatus", standard ? "STANDARD_SUPPORT" : "EXTENDED_SUPPORT");
    return info;
  }
}
