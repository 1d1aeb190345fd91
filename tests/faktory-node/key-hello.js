// Connects with the unmodified npm `faktory-worker` client using an API key as the Faktory password, pushes and
// fetches one job. Env: FAKTORY_PORT, FAKTORY_PASSWORD. Prints "KEY OK" and exits 0, or exits 1 with the error.
"use strict";
const faktory = require("faktory-worker");

async function main() {
  const client = await faktory.connect({ host: "127.0.0.1", port: Number(process.env.FAKTORY_PORT), password: process.env.FAKTORY_PASSWORD });
  const jid = await client.job("Keyed", 1).push();
  const job = await client.fetch("default");
  if (!job || job.jid !== jid) throw new Error(`fetched ${JSON.stringify(job)}, expected ${jid}`);
  await client.ack(jid);
  await client.close();
  console.log("KEY OK");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
