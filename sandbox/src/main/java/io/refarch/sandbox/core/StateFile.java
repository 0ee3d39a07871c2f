package io.refarch.sandbox.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's state on disk: {@code DIR/state.json}, one member per {@link EmulatedService},
 * written atomically (a crash leaves the old file or the new one), and held by one live sandbox at
 * a time through a lock on {@code DIR/.lock}: two would overwrite each other's state.
 */
public final class StateFile implements AutoCloseable {

  private static final String STATE_FILE = "state.json";
  private static final int FORMAT = 1;

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private StateFile(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the state in {@code dir} for this process; fails when another running sandbox holds it.
   */
  public static StateFile lock(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException(
          "the sandbox state in "
              + dir
              + " is in use by another running sandbox;"
              + " stop it, or read it with Sandbox.inventory(stateDir)");
    }
    return new StateFile(dir, channel, lock);
  }

  /** Restores every service from the file, if there is one; returns whether there was. */
  public boolean load(List<? extends EmulatedService> services, boolean serve) throws IOException {
    Path file = dir.resolve(STATE_FILE);
    if (!Files.exists(file)) {
      return false;
    }
    JsonNode state;
    try {
      state = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(
          "the sandbox state "
              + file
              + " cannot be read ("
              + e.getMessage()
              + "); delete it to start empty",
          e);
    }
    for (EmulatedService service : services) {
      service.restore(state.path(service.key()), serve);
    }
    return true;
  }

  public void save(List<? extends EmulatedService> services) {
    ObjectNode state = Json.object();
    state.put("format", FORMAT);
    services.forEach(s -> state.set(s.key(), s.snapshot()));
    Path file = dir.resolve(STATE_FILE);
    Path tmp = dir.resolve(STATE_FILE + ".tmp");
    try {
      Files.writeString(tmp, state.toPrettyString(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the sandbox state to " + file, e);
    }
  }

  public void delete() {
    try {
      Files.deleteIfExists(dir.resolve(STATE_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the sandbox state", e);
    }
  }

  /**
   * The inventory kept in {@code dir}, read without locking or serving anything: for looking at a
   * sandbox that may be running in another process. Empty when there is no state.
   */
  public static List<String> inventory(Path dir, List<? extends EmulatedService> emptyServices)
      throws IOException {
    Path file = dir.resolve(STATE_FILE);
    if (!Files.exists(file)) {
      return List.of();
    }
    JsonNode state = Json.MAPPER.readTree(file.toFile());
    List<String> lines = new ArrayList<>();
    for (EmulatedService service : emptyServices) {
      service.restore(state.path(service.key()), false);
      lines.addAll(service.inventory());
    }
    return lines.stream().sorted().toList();
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock goes with the channel anyway
    }
  }
}
