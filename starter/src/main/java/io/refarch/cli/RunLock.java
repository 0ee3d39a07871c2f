package io.refarch.cli;

import io.refarch.cli.history.RunArchive;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One embedded run per cluster and directory. Each {@code refarch up} without --temporal has its
 * own in-process server, so the workflow id cannot keep two of them apart; this file lock does.
 */
final class RunLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or null when another refarch holds it. */
  static RunLock tryAcquire(Path runsDir, String workflowId) throws IOException {
    Path dir = new RunArchive(runsDir).runDir(workflowId);
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return new RunLock(channel, lock);
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
