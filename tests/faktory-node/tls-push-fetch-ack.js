// Connects over TLS with the unmodified npm `faktory-worker` client, pushes, fetches and acks one job.
// Env: FAKTORY_URL (tcp+tls://127.0.0.1:PORT), NODE_EXTRA_CA_CERTS (the test CA). faktory-worker 4.7 picks TLS by
// its tlsOptions, not by the URL's scheme: an empty object means Node's defaults, which verify the certificate
// against the system roots plus NODE_EXTRA_CA_CERTS and check the host name. Prints "TLS OK", or exits 1.
"use strict";
const faktory = require("faktory-worker");

async function main() {
  const url = process.env.FAKTORY_URL;
  if (!url.startsWith("tcp+tls://")) throw new Error(`FAKTORY_URL ${url} is not a tcp+tls:// URL`);
  const client = await faktory.connect({ url, tlsOptions: {} });
  const jid = await client.job("Secure", 42).push();
  const job = await client.fetch("default");
  if (!job || job.jid !== jid) throw new Error(`fetched ${JSON.stringify(job)}, expected ${jid}`);
  await client.ack(jid);
  await client.close();
  console.log(`TLS OK ${jid}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
