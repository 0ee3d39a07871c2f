package io.refarch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.gke.Gke;
import io.refarch.sandbox.gke.GkeRest;
import io.refarch.sandbox.http.RestServer;
import io.refarch.sandbox.iam.Iam;
import io.refarch.sandbox.iam.IamGrpc;
import io.refarch.sandbox.iam.IamRest;
import io.refarch.sandbox.kube.KubeApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An emulated Google Cloud for refarch's GKE procedure, on 127.0.0.1: GKE (container v1 REST), IAM service
 * accounts (REST and gRPC), project IAM policies (Cloud Resource Manager v1/v3 REST), the serviceusage answers
 * gcloud needs, and for every cluster a Kubernetes API over HTTPS. The real clients, gcloud and kubectl talk
 * to it over the wire. State lives in {@code stateDir/state.json} and survives restarts.
 */
public final class Sandbox implements AutoCloseable {

    private static final String STATE_FILE = "state.json";

    private final SandboxOptions options;
    private final ExecutorService executor;
    private final Iam iam;
    private final Gke gke;
    private final RestServer rest;
    private final Server grpc;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final StateLock lock;
    private volatile boolean closed;

    private Sandbox(SandboxOptions options) throws IOException {
        this.options = options;
        Files.createDirectories(options.stateDir());
        this.lock = lock(options.stateDir());
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sandbox-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Faults faults = new Faults(options.faults());
        Runnable changed = () -> dirty.set(true);
        this.iam = new Iam(faults, changed);
        this.gke = new Gke(faults, options.operationDuration(), new KubeApiServer.Options(executor, this::saveAfterKubernetesRequest, requests::add), changed);
        this.rest = new RestServer(options.port(), executor, requests::add, this::saveIfChanged);
        GkeRest.register(rest, gke);
        IamRest.register(rest, iam);
        gke.apiBase("http://127.0.0.1:" + rest.port());
        try {
            load();
        } catch (IOException | RuntimeException e) {
            rest.close();
            gke.stop();
            executor.shutdownNow();
            lock.release();
            throw e;
        }
        this.grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", options.port() == 0 ? 0 : options.port() + 1))
                .addService(new IamGrpc(iam, requests::add, this::saveIfChanged))
                .executor(executor)
                .build();
        try {
            grpc.start();
        } catch (IOException e) {
            rest.close();
            gke.stop();
            executor.shutdownNow();
            lock.release();
            throw e;
        }
        rest.start();
    }

    /** Starts the sandbox on 127.0.0.1, with the state found in {@code options.stateDir()}. */
    public static Sandbox start(SandboxOptions options) throws IOException {
        return new Sandbox(options);
    }

    public SandboxEndpoints endpoints() {
        return new SandboxEndpoints("http://127.0.0.1:" + rest.port(), "127.0.0.1:" + grpc.getPort());
    }

    /**
     * What exists, one resource a line, sorted: "gcp ..." for IAM, "gke ..." for clusters and node pools,
     * "k8s CLUSTER ..." for objects users created in a cluster (nodes and built-in namespaces are not listed).
     */
    public List<String> inventory() {
        List<String> lines = new ArrayList<>(iam.inventory());
        lines.addAll(gke.inventory());
        return lines.stream().sorted().toList();
    }

    /**
     * The inventory kept in {@code stateDir}, read without starting anything: for looking at a sandbox that may be
     * running in another process. Empty when there is no state.
     */
    public static List<String> inventory(Path stateDir) throws IOException {
        Path file = stateDir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode state = Json.MAPPER.readTree(file.toFile());
        Faults none = new Faults(List.of());
        Iam iam = new Iam(none, () -> { });
        Gke gke = new Gke(none, java.time.Duration.ZERO, null, () -> { });
        iam.restore(state.path("iam"));
        gke.restore(state.path("gke"), false);
        List<String> lines = new ArrayList<>(iam.inventory());
        lines.addAll(gke.inventory());
        return lines.stream().sorted().toList();
    }

    /**
     * Every request received since start or reset, in order: GCP REST, IAM gRPC ("GRPC", /service/method) and
     * the Kubernetes API of every cluster (paths /api/..., /apis/...).
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public SandboxOptions options() {
        return options;
    }

    /** Forgets everything, in memory and on disk. Faults stay armed as they are. */
    public synchronized void reset() {
        gke.clear();
        iam.clear();
        requests.clear();
        dirty.set(false);
        try {
            Files.deleteIfExists(options.stateDir().resolve(STATE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the sandbox state", e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        rest.close();
        grpc.shutdownNow();
        saveIfChanged();
        gke.stop();
        try {
            grpc.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        lock.release();
    }

    /** One live sandbox per state directory: two would overwrite each other's state.json. */
    private record StateLock(java.nio.channels.FileChannel channel, java.nio.channels.FileLock lock) {
        void release() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the channel anyway
            }
        }
    }

    private static StateLock lock(Path stateDir) throws IOException {
        java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(stateDir.resolve(".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the sandbox state in " + stateDir + " is in use by another running sandbox;"
                    + " stop it, or read it with Sandbox.inventory(stateDir)");
        }
        return new StateLock(channel, lock);
    }

    private void load() throws IOException {
        Path file = options.stateDir().resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return;
        }
        JsonNode state;
        try {
            state = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("the sandbox state " + file + " cannot be read (" + e.getMessage()
                    + "); delete it to start empty", e);
        }
        iam.restore(state.path("iam"));
        gke.restore(state.path("gke"), true);
        dirty.set(true);
        saveIfChanged();
    }

    /**
     * The clusters' object stores do not report their changes, so every Kubernetes API request
     * counts as one: objects users create (the cluster-admin binding) must outlive the process too.
     */
    private void saveAfterKubernetesRequest() {
        dirty.set(true);
        saveIfChanged();
    }

    private synchronized void saveIfChanged() {
        if (!dirty.getAndSet(false)) {
            return;
        }
        ObjectNode state = Json.object();
        state.put("format", 1);
        state.set("iam", iam.snapshot());
        state.set("gke", gke.snapshot());
        Path file = options.stateDir().resolve(STATE_FILE);
        Path tmp = options.stateDir().resolve(STATE_FILE + ".tmp");
        try {
            Files.writeString(tmp, state.toPrettyString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            dirty.set(true);
            throw new UncheckedIOException("cannot save the sandbox state to " + file, e);
        }
    }
}
