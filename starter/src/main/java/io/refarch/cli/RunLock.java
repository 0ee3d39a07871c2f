package io.refarch.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One embedded run per cluster on this machine. Each {@code refarch up} without --temporal has its
 * own in-process server, so the workflow id cannot keep two of them apart; this file lock, in a
 * directory every working directory shares ({@code $REFARCH_HOME/locks}), does. Across machines
 * only a shared Temporal server ({@code --temporal}) guarantees it, by the workflow id.
 */
final class RunLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;
  private final Path file;

  private RunLock(FileChannel channel, FileLock lock, Path file) {
    this.channel = channel;
    this.lock = lock;
    this.file = file;
  }

  /** The lock file of a cluster's runs: its workflow id, made a file name. */
  static Path file(Path locksDir, String workflowId) {
    return locksDir.resolve(workflowId.replaceAll("[^A-Za-z0-9._-]", "_") + ".lock");
  }

  /** The lock, or null when another refarch holds it. */
  static RunLock tryAcquire(Path locksDir, String workflowId) throws IOException {
    Files.createDirectories(locksDir);
    Path file = file(locksDir, workflowId);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return new RunLock(channel, lock, file);
      }
    } catch (OverlappingFileLockException heldInThisProcess) {
      // fall through
    }
    channel.close();
    return null;
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
