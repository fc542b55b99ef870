// A shipper in its own process, for the crash test: node ship-child.ts JOURNAL_DIR DATABASE_URL [HANG_AT_BATCH]
// With HANG_AT_BATCH it prints "inserted N" after that batch's rows are inserted and then waits,
// inside the transaction, before the cursor update: the parent kills it right there.
import { startShipper } from '../../dataplane/audit-db/shipper.ts';

const [journalDir, databaseUrl, hangAt] = process.argv.slice(2) as [string, string, string | undefined];
let batches = 0;
const shipper = startShipper({
  journalDir,
  databaseUrl,
  batchSize: 100,
  pollMs: 50,
  beforeCursorUpdate: async (inserted) => {
    if (++batches !== Number(hangAt)) return;
    process.stdout.write(`inserted ${inserted}\n`);
    await new Promise(() => undefined);
  },
});
await shipper.caughtUp(60_000);
process.stdout.write(`${JSON.stringify(shipper.stats())}\n`);
await shipper.stop();
