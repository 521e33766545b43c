// A bounded CPU load of our own, for running the e2e suite on a busy machine (issue 9's load
// robustness check): `node scripts/cpu-load.mjs [workers=2] [seconds=600]`. Busy loops only, no
// network, no files; every worker stops by itself after `seconds`.
import { Worker } from "node:worker_threads";

const workers = Number(process.argv[2] ?? 2);
const seconds = Number(process.argv[3] ?? 600);
const code = `const end = Date.now() + ${seconds * 1000}; let x = 0; while (Date.now() < end) { for (let i = 0; i < 1e6; i++) x = (x * 31 + i) | 0; }`;
for (let i = 0; i < workers; i++) new Worker(code, { eval: true });
console.log(`cpu-load: ${workers} busy workers for ${seconds} s (pid ${process.pid})`);
