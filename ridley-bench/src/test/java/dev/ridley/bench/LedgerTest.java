package dev.ridley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ledger's per-interval latencies: only the processes that ended inside the interval count. */
class LedgerTest {

  @Test
  void an_interval_holds_the_processes_that_ended_in_it_and_no_others() throws Exception {
    Ledger ledger = new Ledger(4, 1);
    long t0 = System.nanoTime();
    ledger.starting(0);
    ledger.starting(1);
    ledger.starting(2); // never ends
    ledger.starting(3);
    Thread.sleep(5);
    ledger.ended(0);
    ledger.ended(1);
    long t1 = System.nanoTime();
    Thread.sleep(5);
    ledger.ended(3);
    long t2 = System.nanoTime();

    double[] first = ledger.toTerminalMsEndedBetween(t0, t1);
    double[] second = ledger.toTerminalMsEndedBetween(t1, t2);

    assertThat(first).hasSize(2).isSorted();
    assertThat(first[0]).isGreaterThanOrEqualTo(5.0);
    assertThat(second).hasSize(1);
    assertThat(second[0]).isGreaterThan(first[1]);
    assertThat(ledger.toTerminalMsEndedBetween(t2, System.nanoTime())).isEmpty();
  }
}
