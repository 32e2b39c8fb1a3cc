package dev.ridley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time PostgreSQL spent: its postmaster's own and its reaped children's (which the kernel
 * adds to the postmaster's {@code cutime}/{@code cstime}), plus its live children's, from /proc. So
 * a difference of two readings covers every backend, the ones that exited between them included.
 * Only for a server on this machine (the bench's scratch database); elsewhere it reads -1.
 */
final class DbCpu {

  /** Linux's USER_HZ, the unit of /proc's times. */
  private static final double TICKS_PER_S = 100;

  private final long postmaster;

  private DbCpu(long postmaster) {
    this.postmaster = postmaster;
  }

  /** The postmaster of the server that {@code rig} is connected to, found from one backend's parent. */
  static DbCpu of(Rig rig) {
    long backend = rig.count("select pg_backend_pid()");
    long parent = stat(backend) == null ? -1 : Long.parseLong(stat(backend)[1]);
    return new DbCpu(parent);
  }

  /** Seconds of CPU the database has used so far; -1 when /proc does not show it. */
  double seconds() {
    String[] own = stat(postmaster);
    if (own == null) return -1;
    long ticks = ticks(own, true);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) continue;
        String[] s = stat(Long.parseLong(name));
        if (s != null && Long.parseLong(s[1]) == postmaster) ticks += ticks(s, false);
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks / TICKS_PER_S;
  }

  /** utime + stime (fields 14, 15), with the reaped children's cutime + cstime (16, 17). */
  private static long ticks(String[] s, boolean withChildren) {
    // s[0] is field 3 (state), so field k is s[k - 3].
    long t = Long.parseLong(s[11]) + Long.parseLong(s[12]);
    return withChildren ? t + Long.parseLong(s[13]) + Long.parseLong(s[14]) : t;
  }

  /** The fields of /proc/PID/stat after the command name (state first), or null. */
  private static String[] stat(long pid) {
    try {
      String line = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
