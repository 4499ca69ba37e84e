// secretlite in its own process for the benchmark: imports the built package (../dist/index.js) and prints its URL.
//
// Profiling: with SECRETLITE_BENCH_PROFILE=<dir> in the environment, the parent (bench/run.mjs --profile) can send
// IPC messages { cmd: 'profile-start', label } / { cmd: 'profile-stop' }; each stop writes <dir>/<label>.cpuprofile
// (V8 CPU profile via node:inspector, viewable in Chrome DevTools; summarize with bench/profile-summary.mjs).
// Other IPC messages: { cmd: 'stats' } answers { type: 'stats', memory: process.memoryUsage() }.
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { startServer } from '../dist/index.js';

const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent' });
process.stdout.write(`${server.url}\n`);

const profileDir = process.env.SECRETLITE_BENCH_PROFILE;
let session;
let label;

async function onMessage(msg) {
  if (!msg || typeof msg !== 'object') return;
  if (msg.cmd === 'stats') {
    process.send?.({ type: 'stats', id: msg.id, memory: process.memoryUsage() });
  } else if (msg.cmd === 'profile-start' && profileDir) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    label = String(msg.label ?? 'profile');
    process.send?.({ type: 'profile-started', id: msg.id });
  } else if (msg.cmd === 'profile-stop' && profileDir && session) {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    mkdirSync(profileDir, { recursive: true });
    const file = join(profileDir, `${label.replace(/[^A-Za-z0-9_.-]/g, '_')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.send?.({ type: 'profile-stopped', id: msg.id, file });
  } else {
    process.send?.({ type: 'ack', id: msg.id });
  }
}
process.on('message', (msg) => {
  onMessage(msg).catch((err) => process.send?.({ type: 'error', id: msg?.id, error: String(err) }));
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
