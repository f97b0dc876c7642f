import { search, type Challenge } from './pow';

// The proof of work runs here, off the main thread, so typing stays smooth while it runs.
// Vite emits this as its own file under /assets/, so the page's CSP (worker-src 'self')
// admits it without blob: URLs.

/** WorkerRequest asks for the number in from..to. */
export interface WorkerRequest {
  challenge: Challenge;
  from: number;
  to: number;
}

/** WorkerReply is the number found, or null when none in the range matched. */
export interface WorkerReply {
  number: number | null;
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const { challenge, from, to } = event.data;
  const reply: WorkerReply = { number: search(challenge, from, to) };
  self.postMessage(reply);
});
