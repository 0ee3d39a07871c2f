package io.refarch.activities.gke;

import io.refarch.activities.GcpConnection;
import io.refarch.activities.GoogleCredentialsSource;
import io.refarch.activities.gke.cluster.ClusterManagerClusters;
import io.refarch.activities.gke.preflight.ApplicationDefaultIdentity;
import io.refarch.activities.gke.preflight.GoogleRest;
import io.refarch.activities.gke.preflight.Identity;
import io.refarch.activities.gke.preflight.PreflightChecks;
import io.refarch.activities.gke.preflight.RegionQuotas;
import io.refarch.activities.gke.preflight.ServiceStates;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.PreflightReport.Check;

/**
 * The GKE preflight with real clients: GKE's own Java client for serverConfig and the cluster,
 * plain REST for serviceusage and Compute Engine ({@link GoogleRest}). Used by the {@code
 * GkePreflight} activity and by {@code refarch preflight}, which runs it without Temporal.
 */
public final class GkePreflight implements AutoCloseable {

  private final GcpConnection connection;
  private final GoogleCredentialsSource source;
  private GcpClients clients;

  public GkePreflight(GcpConnection connection) {
    this(connection, GoogleCredentialsSource.applicationDefault());
  }

  public GkePreflight(GcpConnection connection, GoogleCredentialsSource source) {
    this.connection = connection;
    this.source = source;
  }

  /**
   * Reads, changes nothing; the report says what to fix. Not synchronized: preflights of many runs
   * go on at once (a fleet of 1,000 had its activity slots all queued on this lock, and the reads
   * of every other run waiting for a slot), and the clients it shares are thread-safe.
   */
  public PreflightReport check(ClusterSpec spec) {
    Identity identity;
    ApplicationDefaultIdentity adc = null;
    if (connection.sandbox()) {
      identity =
          () ->
              new Check(
                  "Credentials", true, "the sandbox: no credentials are needed (it checks none)");
    } else {
      adc = new ApplicationDefaultIdentity(source);
      identity = adc;
    }
    ApplicationDefaultIdentity credentials = adc;
    // The identity check runs first; the clients are made only once it passed.
    return new PreflightChecks(
            identity,
            (project, service) ->
                ServiceStates.rest(rest("https://serviceusage.googleapis.com", credentials))
                    .state(project, service),
            location -> clients().clusterManager.getServerConfig(location),
            (project, region) ->
                RegionQuotas.rest(rest("https://compute.googleapis.com", credentials))
                    .get(project, region),
            name -> new ClusterManagerClusters(clients().clusterManager).find(name))
        .check(spec);
  }

  /** The sandbox (or an endpoint override) serves every API on one REST endpoint. */
  private GoogleRest rest(String googleBase, ApplicationDefaultIdentity adc) {
    String base = connection.restEndpoint() != null ? connection.restEndpoint() : googleBase;
    return new GoogleRest(base, adc == null ? null : adc.credentials());
  }

  private synchronized GcpClients clients() {
    if (clients == null) {
      clients = GcpClients.connect(connection, source);
    }
    return clients;
  }

  @Override
  public synchronized void close() {
    if (clients != null) {
      clients.close();
    }
  }
}
